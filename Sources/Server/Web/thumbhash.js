// ThumbHash placeholders (Evan Wallace's format, as the indexer encodes it): decoded to a 32 px picture
// that stands in, blurred by scaling, while a thumbnail loads.
"use strict";
window.thumbHashToDataURL = (function () {
  function ratio(hash) {
    const hasAlpha = hash[2] & 0x80, landscape = hash[4] & 0x80;
    const lx = landscape ? (hasAlpha ? 5 : 7) : hash[3] & 7;
    const ly = landscape ? hash[3] & 7 : (hasAlpha ? 5 : 7);
    return lx / ly;
  }

  function decode(hash) {
    const { PI, min, max, cos, round } = Math;
    const h24 = hash[0] | (hash[1] << 8) | (hash[2] << 16), h16 = hash[3] | (hash[4] << 8);
    const lDC = (h24 & 63) / 63, pDC = ((h24 >> 6) & 63) / 31.5 - 1, qDC = ((h24 >> 12) & 63) / 31.5 - 1;
    const lScale = ((h24 >> 18) & 31) / 31, hasAlpha = h24 >> 23;
    const pScale = ((h16 >> 3) & 63) / 63, qScale = ((h16 >> 9) & 63) / 63, landscape = h16 >> 15;
    const lx = max(3, landscape ? (hasAlpha ? 5 : 7) : h16 & 7);
    const ly = max(3, landscape ? h16 & 7 : (hasAlpha ? 5 : 7));
    const aDC = hasAlpha ? (hash[5] & 15) / 15 : 1, aScale = (hash[5] >> 4) / 15;
    const start = hasAlpha ? 6 : 5;
    let index = 0;
    const channel = (nx, ny, scale) => {
      const ac = [];
      for (let cy = 0; cy < ny; cy++)
        for (let cx = cy ? 0 : 1; cx * ny < nx * (ny - cy); cx++, index++)
          ac.push((((hash[start + (index >> 1)] >> ((index & 1) << 2)) & 15) / 7.5 - 1) * scale);
      return ac;
    };
    const lAC = channel(lx, ly, lScale), pAC = channel(3, 3, pScale * 1.25), qAC = channel(3, 3, qScale * 1.25);
    const aAC = hasAlpha ? channel(5, 5, aScale) : null;
    const r0 = ratio(hash), w = round(r0 > 1 ? 32 : 32 * r0), h = round(r0 > 1 ? 32 / r0 : 32);
    const rgba = new Uint8ClampedArray(w * h * 4), fx = [], fy = [];
    for (let y = 0, i = 0; y < h; y++) {
      for (let x = 0; x < w; x++, i += 4) {
        let l = lDC, p = pDC, q = qDC, a = aDC;
        for (let cx = 0, n = max(lx, hasAlpha ? 5 : 3); cx < n; cx++) fx[cx] = cos(PI / w * (x + 0.5) * cx);
        for (let cy = 0, n = max(ly, hasAlpha ? 5 : 3); cy < n; cy++) fy[cy] = cos(PI / h * (y + 0.5) * cy);
        for (let cy = 0, j = 0; cy < ly; cy++)
          for (let cx = cy ? 0 : 1, f2 = fy[cy] * 2; cx * ly < lx * (ly - cy); cx++, j++) l += lAC[j] * fx[cx] * f2;
        for (let cy = 0, j = 0; cy < 3; cy++)
          for (let cx = cy ? 0 : 1, f2 = fy[cy] * 2; cx < 3 - cy; cx++, j++) {
            const f = fx[cx] * f2;
            p += pAC[j] * f;
            q += qAC[j] * f;
          }
        if (aAC)
          for (let cy = 0, j = 0; cy < 5; cy++)
            for (let cx = cy ? 0 : 1, f2 = fy[cy] * 2; cx < 5 - cy; cx++, j++) a += aAC[j] * fx[cx] * f2;
        const b = l - 2 / 3 * p, r = (3 * l - b + q) / 2, g = r - q;
        rgba[i] = 255 * min(1, r); rgba[i + 1] = 255 * min(1, g); rgba[i + 2] = 255 * min(1, b); rgba[i + 3] = 255 * min(1, a);
      }
    }
    return { w, h, rgba };
  }

  const canvas = document.createElement("canvas");
  return function (base64) {
    try {
      const hash = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const { w, h, rgba } = decode(hash);
      canvas.width = w;
      canvas.height = h;
      canvas.getContext("2d").putImageData(new ImageData(rgba, w, h), 0, 0);
      return canvas.toDataURL();
    } catch (error) {
      return null;
    }
  };
})();
