"""One readable sentence from what the models found. It says only what a signal supports, and hedges where the
classifier is unsure."""
from datetime import datetime

NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def article(phrase):
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def subject(classes, faces, neural_caption, person_count=0):
    """The sentence's subject: the captioner's words when installed, else the classes and the people."""
    if neural_caption:
        return neural_caption[0].upper() + neural_caption[1:]
    people = people_phrase(faces, person_count)
    names = [entry["name"] for entry, _ in classes]
    if classes:
        # The classifier passes only classes likely enough to name the photo; a hedged guess would still put its
        # words in the caption, where the search finds them.
        thing = " or ".join(article(name) for name in names[:2])
        if people:
            return people + " with " + thing
        return ("A photo of " if classes[0][1] >= 0.5 else "A photo of what looks like ") + thing
    if people:
        return people
    return "A photo"


def people_phrase(faces, person_count=0):
    count = max(len(faces), person_count)
    if count == 0:
        return ""
    if count == 1:
        return "a portrait of one person" if faces and faces[0]["h"] >= 0.2 else "one person"
    if count <= 5:
        return NUMBERS[count] + " people"
    return "a group of %d people" % count


def when_phrase(taken, time_labels):
    if not taken:
        return ""
    try:
        moment = datetime.fromisoformat(taken.replace("Z", "+00:00"))
    except ValueError:
        return ""
    words = {name for name, _ in time_labels}
    part = next((p for p in ("morning", "afternoon", "evening", "night") if p in words), None)
    when = "%s %d" % (MONTHS[moment.month - 1], moment.year)
    if part:
        return "in the %s, %s" % (part, when)
    return "in " + when


def compose(classes, faces, text_lines, place, taken, time_labels, neural_caption=None, person_count=0):
    sentence = subject(classes, faces, neural_caption, person_count)
    sentence = sentence[0].upper() + sentence[1:]
    if text_lines:
        quoted = " ".join(text_lines)
        if len(quoted) > 60:
            quoted = quoted[:57].rsplit(" ", 1)[0] + "…"
        sentence += ', with the text "%s"' % quoted
    if place and (place.get("city") or place.get("country")):
        sentence += " in " + ", ".join(p for p in (place.get("city"), place.get("country")) if p)
    when = when_phrase(taken, time_labels)
    if when:
        sentence += " " + when
    return sentence + "."
