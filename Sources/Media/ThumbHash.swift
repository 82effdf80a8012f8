import Foundation

/// ThumbHash (Evan Wallace's placeholder format): a ~25-byte DCT summary of a small picture, which the
/// web page blurs up while the real thumbnail loads. No maintained Swift package exists, so it lives here.
public enum ThumbHash {
    /// Encodes interleaved RGBA pixels of a picture no larger than 100×100.
    public static func encode(width w: Int, height h: Int, rgba: [UInt8]) -> [UInt8] {
        precondition(w <= 100 && h <= 100 && rgba.count == w * h * 4)
        var avgR = 0.0, avgG = 0.0, avgB = 0.0, avgA = 0.0
        for i in 0..<(w * h) {
            let alpha = Double(rgba[i * 4 + 3]) / 255
            avgR += alpha / 255 * Double(rgba[i * 4])
            avgG += alpha / 255 * Double(rgba[i * 4 + 1])
            avgB += alpha / 255 * Double(rgba[i * 4 + 2])
            avgA += alpha
        }
        if avgA > 0 { avgR /= avgA; avgG /= avgA; avgB /= avgA }
        let hasAlpha = avgA < Double(w * h)
        let lLimit = hasAlpha ? 5 : 7
        let lx = max(1, Int((Double(lLimit * w) / Double(max(w, h))).rounded()))
        let ly = max(1, Int((Double(lLimit * h) / Double(max(w, h))).rounded()))
        var l = [Double](repeating: 0, count: w * h), p = l, q = l, a = l
        for i in 0..<(w * h) {
            let alpha = Double(rgba[i * 4 + 3]) / 255
            let r = avgR * (1 - alpha) + alpha / 255 * Double(rgba[i * 4])
            let g = avgG * (1 - alpha) + alpha / 255 * Double(rgba[i * 4 + 1])
            let b = avgB * (1 - alpha) + alpha / 255 * Double(rgba[i * 4 + 2])
            l[i] = (r + g + b) / 3
            p[i] = (r + g) / 2 - b
            q[i] = r - g
            a[i] = alpha
        }

        func encodeChannel(_ channel: [Double], _ nx: Int, _ ny: Int) -> (dc: Double, ac: [Double], scale: Double) {
            var dc = 0.0, scale = 0.0
            var ac = [Double]()
            var fx = [Double](repeating: 0, count: w)
            for cy in 0..<ny {
                var cx = 0
                while cx * ny < nx * (ny - cy) {
                    var f = 0.0
                    for x in 0..<w { fx[x] = cos(Double.pi / Double(w) * Double(cx) * (Double(x) + 0.5)) }
                    for y in 0..<h {
                        let fy = cos(Double.pi / Double(h) * Double(cy) * (Double(y) + 0.5))
                        for x in 0..<w { f += channel[x + y * w] * fx[x] * fy }
                    }
                    f /= Double(w * h)
                    if cx > 0 || cy > 0 {
                        ac.append(f)
                        scale = max(scale, abs(f))
                    } else {
                        dc = f
                    }
                    cx += 1
                }
            }
            if scale > 0 { ac = ac.map { 0.5 + 0.5 / scale * $0 } }
            return (dc, ac, scale)
        }

        let (lDC, lAC, lScale) = encodeChannel(l, max(3, lx), max(3, ly))
        let (pDC, pAC, pScale) = encodeChannel(p, 3, 3)
        let (qDC, qAC, qScale) = encodeChannel(q, 3, 3)
        let (aDC, aAC, aScale) = hasAlpha ? encodeChannel(a, 5, 5) : (1, [], 1)

        let isLandscape = w > h
        let header24 = Int((63 * lDC).rounded()) | Int((31.5 + 31.5 * pDC).rounded()) << 6
            | Int((31.5 + 31.5 * qDC).rounded()) << 12 | Int((31 * lScale).rounded()) << 18 | (hasAlpha ? 1 << 23 : 0)
        let header16 = (isLandscape ? ly : lx) | Int((63 * pScale).rounded()) << 3
            | Int((63 * qScale).rounded()) << 9 | (isLandscape ? 1 << 15 : 0)
        var hash: [UInt8] = [
            UInt8(header24 & 255), UInt8((header24 >> 8) & 255), UInt8(header24 >> 16),
            UInt8(header16 & 255), UInt8(header16 >> 8),
        ]
        let acStart = hasAlpha ? 6 : 5
        if hasAlpha {
            hash.append(UInt8(Int((15 * aDC).rounded()) | Int((15 * aScale).rounded()) << 4))
        }
        var acIndex = 0
        for ac in hasAlpha ? [lAC, pAC, qAC, aAC] : [lAC, pAC, qAC] {
            for f in ac {
                let index = acStart + (acIndex >> 1)
                if index >= hash.count { hash.append(0) }
                hash[index] |= UInt8(Int((15 * f).rounded())) << ((acIndex & 1) << 2)
                acIndex += 1
            }
        }
        return hash
    }
}
