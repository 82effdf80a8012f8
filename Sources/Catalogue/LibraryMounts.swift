/// Where each named library is mounted on this machine, and the translation between a path on this machine
/// and the form the catalogue keeps. A photo below a named root is kept as `NAME:/relative/path`: any machine
/// that mounts NAME finds it under its own root, and an absolute path (which starts with "/") can never be
/// taken for one. The slash after the colon keeps the stores' "below a folder" ranges (`folder/` up to
/// `folder0`) working for a library's root (`NAME:`) and every folder in it.
public struct LibraryMounts: Sendable, Equatable {
    /// Roots without a trailing slash ("" for "/"), longest first, so a library nested in another wins.
    public let roots: [(name: String, root: String)]

    public static func == (a: LibraryMounts, b: LibraryMounts) -> Bool {
        a.roots.elementsEqual(b.roots) { $0 == $1 }
    }

    public init(_ mounts: [String: String]) throws {
        var roots = [(name: String, root: String)]()
        for (name, root) in mounts {
            guard Self.isName(name) else { throw LibraryMountError.badName(name) }
            guard root.hasPrefix("/") else { throw LibraryMountError.relativeRoot(name: name, root: root) }
            var folder = root
            while folder.hasSuffix("/") { folder.removeLast() }
            if let other = roots.first(where: { $0.root == folder }) {
                throw LibraryMountError.sameRoot(other.name, name, root)
            }
            roots.append((name, folder))
        }
        self.roots = roots.sorted { ($0.root.utf8.count, $1.name) > ($1.root.utf8.count, $0.name) }
    }

    /// A library's name: letters, digits, '.', '_' and '-', so it holds no ':' or '/' and reads well in a path.
    public static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
    }

    public var isEmpty: Bool { roots.isEmpty }

    /// The catalogue's form of a path on this machine: `NAME:/relative` below a named root (`NAME:` for the
    /// root itself), else the path unchanged.
    public func stored(_ path: String) -> String {
        guard path.hasPrefix("/") else { return path }
        var path = path
        while path.hasSuffix("/") { path.removeLast() }
        for (name, root) in roots where Self.isBelow(path, root) {
            return name + ":" + String(decoding: path.utf8.dropFirst(root.utf8.count), as: UTF8.self)
        }
        return path.isEmpty ? "/" : path
    }

    /// The path on this machine for a catalogue path; nil when it names a library not mounted here.
    public func local(_ stored: String) -> String? {
        guard let (name, rest) = Self.split(stored) else { return stored }
        return roots.first { $0.name == name }.map { $0.root + rest }
    }

    /// The path on this machine where there is one; a path in a library not mounted here stays as stored,
    /// which no file on this machine answers to.
    public func shown(_ stored: String) -> String { local(stored) ?? stored }

    /// Every catalogue folder a folder on this machine covers: its own form, and the root of each named
    /// library mounted below it (indexing /photos covers /photos/family mounted as `family`).
    public func storedFolders(_ folder: String) -> [String] {
        var base = folder
        while base.hasSuffix("/") { base.removeLast() }
        let inner = roots.filter { $0.root != base && Self.isBelow($0.root, base) }
        return [stored(folder)] + inner.map { $0.name + ":" }
    }

    /// The library name and the part after the colon, for a path in the `NAME:/relative` form.
    static func split(_ stored: String) -> (name: String, rest: String)? {
        guard !stored.hasPrefix("/"), let colon = stored.firstIndex(of: ":") else { return nil }
        let name = String(stored[..<colon])
        return isName(name) ? (name, String(stored[stored.index(after: colon)...])) : nil
    }

    /// Whether `path` is `root` or below it, comparing bytes so /lib never covers /library2.
    static func isBelow(_ path: String, _ root: String) -> Bool {
        let p = path.utf8, r = root.utf8
        guard p.starts(with: r) else { return false }
        return p.count == r.count || p[p.index(p.startIndex, offsetBy: r.count)] == UInt8(ascii: "/")
    }
}

public enum LibraryMountError: Error, CustomStringConvertible {
    case badName(String)
    case relativeRoot(name: String, root: String)
    case sameRoot(String, String, String)

    public var description: String {
        switch self {
        case .badName(let name):
            "'\(name)' cannot name a library: use letters, digits, '.', '_' and '-' (NAME=PATH)"
        case .relativeRoot(let name, let root):
            "library \(name)'s root '\(root)' must be an absolute path"
        case .sameRoot(let a, let b, let root):
            "libraries \(a) and \(b) are both mounted at \(root)"
        }
    }
}
