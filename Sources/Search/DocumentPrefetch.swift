import CPrefetch

extension SearchDocument {
    /// Where a photo's value names the heap objects of its longer texts and its labels: a String's second word and
    /// an Array's only word hold the object's address (a native String's top byte is 0, a short one's is not).
    static let objectWords: [Int] = [
        MemoryLayout<SearchDocument>.offset(of: \.path)! + 8,
        MemoryLayout<SearchDocument>.offset(of: \.caption)! + 8,
        MemoryLayout<SearchDocument>.offset(of: \.text)! + 8,
        MemoryLayout<SearchDocument>.offset(of: \.taken)! + 8,
        MemoryLayout<SearchDocument>.offset(of: \.model)! + 8,
        MemoryLayout<SearchDocument>.offset(of: \.labels)!,
    ]

    /// Asks for the first two cache lines of each heap object of a photo's texts and labels ahead of its turn: a
    /// build reads a million photos whose strings lie anywhere on the heap, and waited on each one's first touch.
    /// Only a hint: a prefetch never faults, whatever the address.
    static func prefetch(_ document: UnsafePointer<SearchDocument>) {
        for offset in objectWords {
            guard let address = object(document, offset) else { continue }
            viewfinder_prefetch(UnsafeRawPointer(bitPattern: address))
            viewfinder_prefetch(UnsafeRawPointer(bitPattern: address &+ 64))
        }
    }

    /// The heap object the word at `offset` names, if it names one.
    @inline(__always)
    static func object(_ document: UnsafePointer<SearchDocument>, _ offset: Int) -> UInt? {
        let word = UnsafeRawPointer(document).load(fromByteOffset: offset, as: UInt.self)
        // A short string's bytes and flags, or an immortal one's, fill the top byte; a native object's leaves it 0.
        return word >> 56 == 0 && word != 0 ? word : nil
    }
}
