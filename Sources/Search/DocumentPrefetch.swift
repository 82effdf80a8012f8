import CPrefetch

extension SearchDocument {
    /// Where a photo's value names the heap objects of its texts and lists: on 64-bit platforms a String's second
    /// word and an Array's only word hold its object's address.
    static let objectWords: [Int] = {
        let texts: [PartialKeyPath<SearchDocument>] = [\.path, \.caption, \.text, \.city, \.region, \.country, \.make, \.model,
                                                       \.lens, \.taken, \.contentIdentifier, \.burstIdentifier]
        let lists: [PartialKeyPath<SearchDocument>] = [\.labels, \.people]
        let offset = { (field: PartialKeyPath<SearchDocument>) in MemoryLayout<SearchDocument>.offset(of: field)! }
        return texts.map { offset($0) + 8 } + lists.map(offset)
    }()

    /// Asks for the first two cache lines of each object a photo's texts and lists keep on the heap, ahead of its
    /// turn: a build reads a million photos whose strings lie anywhere on the heap, and the first touch of each (the
    /// copy's retain) waited on memory. The addresses are read as bits, as a copy of the value would touch them. Only
    /// a hint: a prefetch never faults, and a word read wrongly costs a wasted one.
    static func prefetch(_ document: UnsafePointer<SearchDocument>) {
        for offset in objectWords {
            guard let address = object(document, offset) else { continue }
            viewfinder_prefetch(UnsafeRawPointer(bitPattern: address))
            viewfinder_prefetch(UnsafeRawPointer(bitPattern: address &+ 64))
        }
    }

    /// The object the word at `offset` names: nil for a short string kept inline and a literal (their top byte holds
    /// flags), for a missing one, and off 64-bit platforms. A shared array (the empty one) is named too.
    @inline(__always)
    static func object(_ document: UnsafePointer<SearchDocument>, _ offset: Int) -> UInt? {
        #if _pointerBitWidth(_64)
        let word = UnsafeRawPointer(document).load(fromByteOffset: offset, as: UInt.self)
        return word >> 56 == 0 && word != 0 ? word : nil
        #else
        return nil
        #endif
    }
}
