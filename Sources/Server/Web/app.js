// The whole web page: one shell, views chosen by the path, everything drawn from /api/*.
"use strict";
(function () {
  const view = document.getElementById("view");
  const box = document.getElementById("q");
  const signOut = document.getElementById("sign-out");
  let token = "";
  let searchController = null;
  let debounce = 0;
  // The photos of the grid last shown, so the photo page can step through them with ← and →.
  let sequence = [];
  let nextPage = null;

  // --- small helpers -------------------------------------------------------------------------
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
      else element.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  async function api(path, options = {}) {
    const response = await fetch(path, {
      ...options,
      headers: { "X-Viewfinder-Token": token, ...(options.body ? { "Content-Type": "application/json" } : {}) },
      credentials: "same-origin",
    });
    if (response.status === 401) { go("/login?next=" + encodeURIComponent(location.pathname + location.search)); throw new Error("sign in"); }
    const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }

  // Shows nodes in the main view; absent parts (null) are left out.
  function show(...nodes) { view.replaceChildren(...nodes.flat().filter((node) => node !== null && node !== undefined && node !== false)); }

  function go(url, replace) {
    if (replace) history.replaceState(null, "", url); else history.pushState(null, "", url);
    route();
  }

  function searchURL(query) { return query ? "/?q=" + encodeURIComponent(query) : "/"; }

  // --- grid of photos -------------------------------------------------------------------------
  function tile(photo) {
    const image = h("img", { src: photo.thumb, alt: photo.caption || photo.path, loading: "lazy", decoding: "async" });
    image.addEventListener("load", () => image.classList.add("loaded"));
    const link = h("a", { class: photo.video ? "tile video" : "tile", href: "/photo/" + photo.id, "data-link": true, title: (photo.why || []).join("\n") || photo.path },
      image);
    // A stack (RAW+JPEG, Live Photo, burst, edited copy) is one tile: its shown member, with the count of all.
    if (photo.stack) link.append(h("span", { class: "stack-count", title: `${photo.stack.kind}: ${photo.stack.members.length} photos` }, String(photo.stack.members.length)));
    const placeholder = photo.thumbhash && window.thumbHashToDataURL(photo.thumbhash);
    if (placeholder) link.style.backgroundImage = `url("${placeholder}")`;
    return link;
  }

  function grid(photos) { return h("div", { class: "grid" }, photos.map(tile)); }

  // --- search ---------------------------------------------------------------------------------
  const facetFilters = { person: "person", year: "year", camera: "camera", place: "place", label: "label", type: "type" };

  // The query language has no escapes: a quote inside a value becomes a space, which filters fold away.
  function quoted(value) {
    const plain = value.replace(/"/g, " ").trim();
    return /\s/.test(plain) ? `"${plain}"` : plain;
  }

  function chips(understood) {
    const entries = Object.entries(understood || {});
    if (!entries.length) return null;
    return h("div", { class: "chips", "aria-label": "What the search understood" },
      entries.map(([key, value]) => h("span", { class: "chip" }, h("b", {}, key), " ", value)));
  }

  function facets(all, query) {
    const groups = Object.entries(all || {}).filter(([name, counts]) => facetFilters[name] && Object.keys(counts).length > 1);
    if (!groups.length) return null;
    return h("aside", { class: "facets", "aria-label": "Narrow down" }, groups.map(([name, counts]) =>
      h("section", {}, h("h3", {}, name),
        Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([value, count]) =>
          h("a", { href: searchURL((query + " " + facetFilters[name] + ":" + quoted(value)).trim()), "data-link": true },
            value, h("span", { class: "count" }, count))))));
  }

  async function showSearch(params) {
    const query = params.get("q") || "";
    if (box.value !== query) box.value = query;
    document.title = query ? `${query} — Viewfinder` : "Viewfinder";
    if (searchController) searchController.abort();
    searchController = new AbortController();
    const signal = searchController.signal;
    let answer;
    try {
      answer = await api(`/api/search?q=${encodeURIComponent(query)}&limit=60`, { signal });
    } catch (error) {
      if (error.name === "AbortError") return;
      show(h("p", { class: "note error", role: "alert" }, error.message));
      return;
    }
    sequence = answer.hits.map((hit) => hit.id);
    nextPage = answer.cursor ? { query, cursor: answer.cursor } : null;
    const sure = answer.total - (answer.mightMatch || 0);
    const count = sure > 0 ? `${answer.totalIsEstimate ? "about " : ""}${sure} photo${sure === 1 ? "" : "s"}` : "";
    const results = grid(answer.hits.filter((hit) => hit.match !== "meaning"));
    // Photos found only by meaning are guesses: counted and folded away below the sure ones.
    const guesses = grid(answer.hits.filter((hit) => hit.match === "meaning"));
    const fold = h("summary", {});
    const might = h("details", { class: "might", id: "might-match" }, fold, guesses);
    // Always on the page (hidden while empty), so guesses on a later page have a place to go.
    const countGuesses = (count) => { fold.textContent = `${count} more that might match`; might.hidden = !count; };
    countGuesses(answer.mightMatch || 0);
    const sentinel = h("div", { class: "sentinel" });
    show(
      h("div", { class: "summary" }, chips(answer.understood), h("span", { class: "count", id: "result-count" }, count)),
      answer.message ? h("p", { class: "note" }, answer.message) : null,
      h("div", { class: "results" }, h("div", {}, results, might), facets(answer.facets, query)),
      sentinel);
    // Infinite scroll: the next page when the end of the grid comes into view.
    const observer = new IntersectionObserver(async (entries) => {
      if (!entries.some((entry) => entry.isIntersecting) || !nextPage || signal.aborted) return;
      const page = nextPage;
      nextPage = null;
      const more = await api(`/api/search?q=${encodeURIComponent(page.query)}&limit=60&cursor=${page.cursor}`, { signal }).catch(() => null);
      if (!more || signal.aborted) return;
      sequence.push(...more.hits.map((hit) => hit.id));
      results.append(...more.hits.filter((hit) => hit.match !== "meaning").map(tile));
      guesses.append(...more.hits.filter((hit) => hit.match === "meaning").map(tile));
      countGuesses(more.mightMatch || 0);
      nextPage = more.cursor ? { query: page.query, cursor: more.cursor } : null;
    }, { rootMargin: "600px" });
    observer.observe(sentinel);
    signal.addEventListener("abort", () => observer.disconnect());
  }

  box.addEventListener("input", () => {
    clearTimeout(debounce);
    // Debounced; each new letter cancels the request before it.
    debounce = setTimeout(() => {
      const url = searchURL(box.value.trim() ? box.value : "");
      if (location.pathname === "/") go(url, true); else go(url);
    }, 120);
  });
  document.getElementById("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(debounce);
    go(searchURL(box.value.trim() ? box.value : ""), location.pathname === "/");
  });

  // --- one photo ------------------------------------------------------------------------------
  function row(name, value) { return value === null || value === undefined || value === "" ? null : h("tr", {}, h("th", {}, name), h("td", {}, value)); }

  function length(seconds) {
    if (seconds === null || seconds === undefined) return null;
    const whole = Math.round(seconds);
    return whole < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
  }

  function exposure(seconds) { return seconds ? (seconds < 1 ? `1/${Math.round(1 / seconds)} s` : `${seconds} s`) : null; }

  async function showPhoto(id) {
    const photo = await api(`/api/photos/${id}`);
    const d = photo.detail;
    const people = d.faces && d.faces.length ? (await api("/api/people?hidden=1")).people : [];
    document.title = `${d.path} — Viewfinder`;
    const place = d.place ? [d.place.city, d.place.region, d.place.country].filter(Boolean).join(", ") : null;
    // A video plays from its original, served in ranges; its poster is the frame the thumbnail came from.
    const preview = d.video
      ? h("video", { class: "preview", src: photo.original, poster: photo.preview, controls: true, preload: "metadata", playsinline: true })
      : h("img", { class: "preview", src: photo.preview, alt: d.caption || d.path });
    const placeholder = photo.thumbhash && window.thumbHashToDataURL(photo.thumbhash);
    const faces = d.faces || [];
    const frame = h("figure", { class: "frame" }, h("span", { class: "pic" }, preview, faceOutlines(id, faces)));
    if (placeholder) frame.style.backgroundImage = `url("${placeholder}")`;
    preview.addEventListener(d.video ? "loadeddata" : "load", () => { preview.classList.add("loaded"); frame.style.backgroundImage = "none"; });
    const index = sequence.indexOf(Number(id));
    const similar = h("div", { class: "similar" });
    show(h("article", { class: "photo" },
      h("nav", { class: "steps" },
        h("a", { href: "#", onclick: (event) => { event.preventDefault(); back(); } }, "← Back"),
        index > 0 ? h("a", { href: "/photo/" + sequence[index - 1], "data-link": true, id: "previous" }, "Previous") : null,
        index >= 0 && index < sequence.length - 1 ? h("a", { href: "/photo/" + sequence[index + 1], "data-link": true, id: "next" }, "Next") : null,
        h("a", { href: photo.original + "?download=1", download: true }, "Download original")),
      frame,
      h("section", { class: "about" },
        h("h1", {}, d.caption || d.description || d.path.split("/").pop()),
        d.labels && d.labels.length ? h("p", { class: "labels" }, d.labels.slice(0, 16).map((label) =>
          h("a", { class: "chip", href: searchURL("label:" + quoted(label.name)), "data-link": true }, label.name))) : null,
        d.text ? h("blockquote", { class: "ocr" }, d.text) : null,
        faces.length ? [h("h2", {}, "People"), faceRows(id, faces, people)] : null,
        photo.stack ? [h("h2", {}, `Stack (${photo.stack.kind})`), h("ul", { class: "stack-members" }, photo.stack.members.map((path, at) =>
          h("li", {}, photo.stack.ids[at] === Number(id) ? h("strong", {}, path) : h("a", { href: "/photo/" + photo.stack.ids[at], "data-link": true }, path))))] : null,
        h("table", { class: "exif" }, h("tbody", {},
          row("File", d.path), row("Taken", d.taken), row("Place", place),
          row("Camera", [d.make, d.model].filter(Boolean).join(" ")), row("Lens", d.lens),
          row("Exposure", [d.fNumber && `f/${d.fNumber}`, exposure(d.exposureTime), d.iso && `ISO ${d.iso}`, d.focalLength && `${d.focalLength} mm`].filter(Boolean).join(" · ")),
          row("Size", `${d.width} × ${d.height}`), row("Length", length(d.duration)), row("Faces", d.faces && d.faces.length ? d.faces.length : null),
          row("Rating", d.rating), row("Keywords", (d.keywords || []).join(", ")),
          row("GPS", d.gps ? `${d.gps.lat.toFixed(5)}, ${d.gps.lon.toFixed(5)}` : null))),
        photo.exif.length ? h("details", {}, h("summary", {}, `All EXIF (${photo.exif.length})`),
          h("table", { class: "exif" }, h("tbody", {}, photo.exif.map(([key, value]) => row(key, value))))) : null,
        h("h2", {}, "More like this"), similar)));
    api(`/api/photos/${id}/similar?limit=12`).then((answer) => {
      similar.replaceChildren(answer.hits.length ? grid(answer.hits) : h("p", { class: "note" }, answer.message || "nothing alike yet"));
    }).catch(() => {});
  }

  function back() {
    // Back through the page's own history when it has one; a photo opened from outside goes to search.
    if (history.length > 1 && sessionStorage.getItem("inside")) history.back();
    else go("/");
  }

  document.addEventListener("keydown", (event) => {
    if (!location.pathname.startsWith("/photo/") || event.target.closest("input, textarea")) return;
    if (event.key === "ArrowLeft") document.getElementById("previous")?.click();
    else if (event.key === "ArrowRight") document.getElementById("next")?.click();
    else if (event.key === "Escape") back();
  });

  // --- people ---------------------------------------------------------------------------------
  // A face cut out of its photo's thumbnail (or preview, for a small face) by its box, with room around it.
  function faceCrop(cover, className) {
    const crop = h("span", { class: className || "face", role: "img", "aria-label": "face" });
    if (!cover) return crop;
    const box = cover.box;
    const side = Math.min(1.6 * Math.max(box.w * cover.width, box.h * cover.height), Math.min(cover.width, cover.height));
    const sw = side / cover.width, sh = side / cover.height;
    const left = Math.min(Math.max(box.x + box.w / 2 - sw / 2, 0), 1 - sw), top = Math.min(Math.max(box.y + box.h / 2 - sh / 2, 0), 1 - sh);
    // The thumbnail's long side is 256 px: a face narrower than 48 px there comes from the preview.
    const source = (box.w * cover.width * 256) / Math.max(cover.width, cover.height) < 48 ? cover.preview : cover.thumb;
    crop.style.backgroundImage = `url("${source}")`;
    crop.style.backgroundSize = `${100 / sw}% ${100 / sh}%`;
    crop.style.backgroundPosition = `${sw < 1 ? (100 * left) / (1 - sw) : 0}% ${sh < 1 ? (100 * top) / (1 - sh) : 0}%`;
    return crop;
  }

  function personLabel(person) { return person.name || `Person ${person.id}`; }

  // A name field that names (or renames) a person as it is submitted; an empty name unnames.
  function nameForm(person, named) {
    const input = h("input", { type: "text", value: person.name || "", placeholder: "Who is this?", "aria-label": `Name of ${personLabel(person)}`,
      class: "person-name", "data-person": person.id, autocomplete: "off" });
    const message = h("span", { class: "note", role: "status" });
    return h("form", { class: "name", onsubmit: async (event) => {
      event.preventDefault();
      try {
        const answer = await api(`/api/people/${person.id}/name`, { method: "POST", body: JSON.stringify({ name: input.value.trim() || null }) });
        message.textContent = "saved";
        if (named) named(answer);
      } catch (error) { message.textContent = error.message; }
    } }, input, h("button", { type: "submit" }, "Save"), message);
  }

  async function showPeople(params) {
    document.title = "People — Viewfinder";
    const hidden = params.get("hidden") === "1";
    const answer = await api("/api/people" + (hidden ? "?hidden=1" : ""));
    show(h("h1", {}, "People"),
      answer.people.length ? null : h("p", { class: "note" }, "Nobody yet: people form as soon as a face is seen in two photos."),
      h("div", { class: "people" }, answer.people.map((person) => h("section", { class: "person" + (person.hidden ? " hidden" : "") },
        h("a", { href: "/people/" + person.id, "data-link": true, class: "face-link" }, faceCrop(person.cover)),
        nameForm(person),
        h("span", { class: "count" }, `${person.photos} photo${person.photos === 1 ? "" : "s"}`)))),
      h("p", {}, h("a", { href: hidden ? "/people" : "/people?hidden=1", "data-link": true }, hidden ? "Hide hidden people" : "Show hidden people too")));
  }

  async function showPerson(id) {
    const person = await api(`/api/people/${id}`);
    document.title = `${personLabel(person)} — Viewfinder`;
    sequence = person.photoList.map((photo) => photo.id);
    const others = (await api("/api/people?hidden=1")).people.filter((other) => other.id !== person.id);
    const into = h("select", { "aria-label": "Merge into" }, h("option", { value: "" }, "Merge into…"),
      others.map((other) => h("option", { value: other.id }, personLabel(other))));
    show(h("article", { class: "person-page" },
      h("nav", { class: "steps" }, h("a", { href: "/people", "data-link": true }, "← People"),
        person.name ? h("a", { href: searchURL("person:" + quoted(person.name)), "data-link": true }, "Search their photos") : null),
      h("header", { class: "person-head" }, faceCrop(person.cover, "face large"),
        h("div", {}, h("h1", {}, personLabel(person)), nameForm(person, (named) => go("/people/" + named.id, true)),
          h("p", {}, h("span", { class: "count" }, `${person.photos} photo${person.photos === 1 ? "" : "s"}, ${person.faces} face${person.faces === 1 ? "" : "s"}`)),
          h("p", { class: "actions" },
            h("button", { type: "button", onclick: async () => {
              await api(`/api/people/${person.id}/hide`, { method: "POST", body: JSON.stringify({ hidden: !person.hidden }) });
              go("/people/" + person.id, true);
            } }, person.hidden ? "Show in People" : "Hide"),
            into, h("button", { type: "button", onclick: async () => {
              if (!into.value) return;
              await api(`/api/people/${person.id}/merge`, { method: "POST", body: JSON.stringify({ into: Number(into.value) }) });
              go("/people/" + into.value, true);
            } }, "Merge")))),
      grid(person.photoList)));
  }

  // Each face outlined on the photo, named and linked to its person; below, who each is and a way to say otherwise.
  function faceOutlines(id, faces) {
    return h("div", { class: "outlines" }, faces.map((face) => {
      const outline = h(face.person ? "a" : "span", { class: "outline", title: face.person ? personLabel(face.person) : "nobody yet",
        href: face.person ? "/people/" + face.person.id : null, "data-link": face.person ? true : null },
        face.person ? h("span", { class: "who" }, personLabel(face.person)) : null);
      outline.style.left = `${100 * face.x}%`;
      outline.style.top = `${100 * face.y}%`;
      outline.style.width = `${100 * face.w}%`;
      outline.style.height = `${100 * face.h}%`;
      return outline;
    }));
  }

  function faceRows(id, faces, people) {
    return h("table", { class: "exif faces" }, h("tbody", {}, faces.map((face, index) => {
      const choice = h("select", { "aria-label": `Who is face ${index + 1}`, onchange: async () => {
        const person = choice.value === "" ? null : Number(choice.value);
        await api(`/api/photos/${id}/faces/${index}/person`, { method: "POST", body: JSON.stringify({ person }) });
        showPhoto(id);
      } }, h("option", { value: "" }, "nobody"),
        people.map((person) => h("option", { value: person.id, selected: face.person && face.person.id === person.id }, personLabel(person))));
      return h("tr", {}, h("th", {}, face.person ? h("a", { href: "/people/" + face.person.id, "data-link": true }, personLabel(face.person)) : `Face ${index + 1}`),
        h("td", {}, choice));
    })));
  }

  // --- duplicates ------------------------------------------------------------------------------
  async function showDuplicates() {
    document.title = "Duplicates — Viewfinder";
    const answer = await api("/api/duplicates");
    sequence = answer.groups.flatMap((group) => group.photos.map((photo) => photo.id));
    show(h("h1", {}, "Duplicates"),
      h("p", { class: "note" }, answer.groups.length
        ? "Copies of one picture: the same file at several paths, or the picture resized, re-encoded or cropped. The best of each group is marked; Viewfinder deletes nothing."
        : "No duplicates: no two photos are the same file or look alike."),
      answer.groups.map((group) => h("section", { class: "duplicates " + group.kind },
        h("h2", {}, group.kind === "exact" ? "Identical files" : "Look alike", h("span", { class: "count" }, group.photos.length)),
        h("div", { class: "grid" }, group.photos.map((photo) => {
          const link = tile(photo);
          link.classList.toggle("best", photo.best);
          const mark = photo.best ? "best" : group.kind === "near" ? `${photo.distance} bits apart` : "same file";
          link.append(h("span", { class: "caption" }, `${mark} · ${photo.width}×${photo.height}`));
          return link;
        })),
        h("ul", { class: "paths" }, group.photos.map((photo) => h("li", {}, photo.path))))));
  }

  // --- timeline, folders, status ----------------------------------------------------------------
  const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

  async function showTimeline() {
    document.title = "Timeline — Viewfinder";
    const answer = await api("/api/timeline");
    show(h("h1", {}, "Timeline"),
      answer.years.length ? null : h("p", { class: "note" }, "No dated photos yet."),
      answer.years.map((year) => h("section", { class: "year" },
        h("h2", {}, h("a", { href: searchURL("year:" + year.year), "data-link": true }, year.year), h("span", { class: "count" }, year.count)),
        h("div", { class: "grid months" }, year.months.map((month) => {
          const link = tile(month.cover);
          link.href = searchURL("taken:" + month.month);
          link.title = "";
          link.append(h("span", { class: "caption" }, `${monthNames[Number(month.month.slice(5)) - 1]} · ${month.count}`));
          return link;
        })))),
      answer.undated ? h("p", { class: "note" }, `${answer.undated} photos without a date`) : null);
  }

  async function showFolders(params) {
    const path = params.get("path") || "";
    document.title = (path || "Folders") + " — Viewfinder";
    const answer = await api("/api/folders?path=" + encodeURIComponent(path));
    const parts = path ? path.split("/") : [];
    sequence = answer.photos.map((photo) => photo.id);
    show(
      h("nav", { class: "crumbs", "aria-label": "Folder" }, h("a", { href: "/folders", "data-link": true }, "All folders"),
        parts.map((part, i) => [" / ", h("a", { href: "/folders?path=" + encodeURIComponent(parts.slice(0, i + 1).join("/")), "data-link": true }, part)])),
      h("div", { class: "grid folders" }, answer.folders.map((folder) => {
        const link = tile(folder.cover);
        link.href = "/folders?path=" + encodeURIComponent(folder.path);
        link.title = folder.path;
        link.append(h("span", { class: "caption" }, `${folder.name} · ${folder.count}`));
        return link;
      })),
      answer.photos.length ? grid(answer.photos) : null);
  }

  let statusTimer = 0;
  async function showStatus() {
    document.title = "Status — Viewfinder";
    const s = await api("/api/status");
    const run = s.indexing;
    const percent = run.total ? Math.round((100 * run.done) / run.total) : 0;
    const counts = (object) => Object.entries(object).map(([key, value]) => `${key} ${value}`).join(", ") || "none";
    show(h("h1", {}, "Indexing status"),
      h("table", { class: "exif" }, h("tbody", {},
        row("Photos", s.photos), row("Described by AI", s.described), row("Duplicates", s.duplicates),
        row("Offline", s.offline ? `${s.offline} (hidden, kept until they return or viewfinder prune): ` +
          Object.keys(s.offlineReasons).join("; ") : null),
        row("Pending jobs", counts(s.pendingJobs)), row("Errors", counts(s.errors)), row("Warnings", counts(s.warnings)),
        row("Watching", run.watching.join(", ")), row("AI models", run.visionUnavailable ? "unavailable: " + run.visionUnavailable : null))),
      run.running ? h("div", {},
        h("p", {}, `${run.phase || "working"}: ${run.done} of ${run.total}` + (run.remainingSeconds ? `, about ${Math.ceil(run.remainingSeconds)} s left` : "")),
        h("progress", { max: 100, value: percent, "aria-label": "Indexing progress" })) : h("p", { class: "note" }, "Not indexing now."),
      h("h2", {}, "Recent problems"),
      s.recentProblems.length ? h("table", { class: "problems" },
        h("thead", {}, h("tr", {}, h("th", {}, "File"), h("th", {}, "Stage"), h("th", {}, "Why"))),
        h("tbody", {}, s.recentProblems.map((p) => h("tr", { class: p.severity }, h("td", {}, p.path), h("td", {}, p.stage), h("td", {}, p.reason)))))
        : h("p", { class: "note" }, "None."));
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => { if (location.pathname === "/status") showStatus().catch(() => {}); }, run.running ? 2000 : 10000);
  }

  // --- help -----------------------------------------------------------------------------------
  const examples = [
    ["Words", [["cat sofa", "both words, in captions, labels, text in the photo, places, names, cameras"], ["sof", "the word being typed matches as a beginning"], ["giraffee", "one typo forgiven from 5 letters, two from 9"]]],
    ["Phrases, not, or", [["\"red car\"", "the words together"], ["dog -beach", "without beach"], ["cat | dog", "either"]]],
    ["Dates", [["year:2019", "a year"], ["month:june", "a month, any year"], ["taken:2021-06", "a month (or day) of a year"], ["after:2020 before:2021-06", "a range"], ["beach summer 2019", "dates written as words become filters"]]],
    ["Places", [["place:lisbon", "city, region or country"], ["country:portugal", ""], ["near:38.72,-9.14,5km", "within a distance"], ["cats in lisbon", "places written as words"]]],
    ["Camera", [["camera:pixel", "camera model"], ["make:canon", ""], ["lens:50mm", ""], ["iso:100-400", "ranges"], ["f:1.8-4", ""], ["mm:24-70", "focal length"]]],
    ["What is in it", [["label:dog", "a label the AI models gave"], ["text:menu", "text read in the photo"], ["has:faces", "has:gps, has:text, has:faces, has:caption"], ["faces:2", "how many faces"]]],
    ["People", [["person:\"Ada Lovelace\"", "a person you named on the People page; several mean together in one photo"], ["lovelace", "a name typed as words finds them too"], ["people:2", "how many people were recognised"]]],
    ["Files", [["folder:'2021*'", "folder, as a glob"], ["name:'IMG_*.JPG'", "file name, as a glob"], ["type:heic", "jpeg, heic, png, raw…"], ["orientation:portrait", "or landscape"], ["rating>=3", "stars"]]],
  ];

  function showHelp() {
    document.title = "Help — Viewfinder";
    show(h("article", { class: "help" },
      h("h1", {}, "Searching"),
      h("p", {}, "Type into the box: results follow every letter. Each photo says why it matched (hover a thumbnail). Click an example to try it."),
      examples.map(([title, rows]) => h("section", {}, h("h2", {}, title), h("table", {}, h("tbody", {}, rows.map(([query, note]) =>
        h("tr", {}, h("td", {}, h("a", { href: searchURL(query), "data-link": true }, h("code", {}, query))), h("td", {}, note))))))),
      h("h2", {}, "Keys"),
      h("p", {}, "On a photo: ← and → step through the results, Esc goes back. Everywhere: / puts you in the search box."),
      h("p", {}, "Scripts can use the same search: ", h("a", { href: "/openapi.yaml" }, "the JSON API"), ".")));
  }

  // --- sign-in --------------------------------------------------------------------------------
  function showLogin(params) {
    document.title = "Sign in — Viewfinder";
    const password = h("input", { type: "password", id: "password", autocomplete: "current-password", required: true, "aria-label": "Password" });
    const message = h("p", { class: "note error", role: "alert" });
    show(h("form", { class: "login", onsubmit: async (event) => {
      event.preventDefault();
      try {
        await api("/api/login", { method: "POST", body: JSON.stringify({ password: password.value }) });
        await session();
        const next = params.get("next");
        go(next && next.startsWith("/") && !next.startsWith("//") ? next : "/");
      } catch (error) { message.textContent = error.message; }
    } }, h("h1", {}, "Sign in"), h("label", { for: "password" }, "Password"), password, h("button", { type: "submit" }, "Sign in"), message));
    password.focus();
  }

  async function session() {
    const answer = await fetch("/api/session", { credentials: "same-origin" }).then((r) => r.json());
    token = answer.token;
    signOut.hidden = !(answer.signInRequired && answer.signedIn);
    return answer;
  }

  signOut.addEventListener("click", async () => {
    await api("/api/logout", { method: "POST" }).catch(() => {});
    await session();
    go("/login");
  });

  // --- routing --------------------------------------------------------------------------------
  async function route() {
    const params = new URLSearchParams(location.search);
    const path = location.pathname;
    clearTimeout(statusTimer);
    if (path !== "/" && searchController) searchController.abort();
    document.querySelectorAll("nav a[data-link]").forEach((a) => a.toggleAttribute("aria-current", a.getAttribute("href") === path));
    try {
      if (path === "/help" || (path === "/" && params.has("help"))) showHelp();
      else if (path === "/login") showLogin(params);
      else if (path.startsWith("/photo/")) await showPhoto(path.slice(7));
      else if (path === "/people") await showPeople(params);
      else if (path.startsWith("/people/")) await showPerson(path.slice(8));
      else if (path === "/duplicates") await showDuplicates();
      else if (path === "/timeline") await showTimeline();
      else if (path === "/folders") await showFolders(params);
      else if (path === "/status") await showStatus();
      else await showSearch(params);
      if (path !== "/") window.scrollTo(0, 0);
    } catch (error) {
      if (error.message !== "sign in") show(h("p", { class: "note error", role: "alert" }, error.message));
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    sessionStorage.setItem("inside", "1");
    go(link.getAttribute("href"));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && !event.target.closest("input, textarea")) { event.preventDefault(); box.focus(); }
  });
  window.addEventListener("popstate", route);
  session().then((answer) => {
    if (answer.signInRequired && !answer.signedIn && location.pathname !== "/login") go("/login?next=" + encodeURIComponent(location.pathname + location.search), true);
    else route();
  });
})();
