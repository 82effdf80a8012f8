/// One photo's change as the engine takes it: its new document and vectors, or its removal.
public enum EngineUpdate: Sendable {
    case upsert(SearchDocument, vectors: [String: [Float]])
    case remove(Int64)
}

extension SearchEngine {
    /// Applies changes in place, in order: a new photo is appended, a changed one is taken out and appended again
    /// (it keeps its id), a removed one is taken out. Searches wait while this runs and see all of it or none.
    public func apply(_ updates: [EngineUpdate]) {
        lock.write {
            var added = [Int](), removed = [Int]()
            for update in updates {
                switch update {
                case let .upsert(document, vectors):
                    removed += remove(document.id).map { [$0] } ?? []
                    added.append(upsert(document, vectors))
                case let .remove(id): removed += remove(id).map { [$0] } ?? []
                }
            }
            // A number given out and taken back by the same batch (a photo changed twice) never joins a stack.
            let (given, taken) = (Set(added), Set(removed))
            stacks.update(added: added.filter { !taken.contains($0) }, removed: removed.filter { !given.contains($0) }, columns)
        }
    }

    /// Takes the photo out; returns the number it had.
    private func remove(_ id: Int64) -> Int? {
        guard let number = numbers.set(id, nil) else { return nil }
        index.remove(number)
        removeVectors(of: number)
        return number
    }

    /// Appends the photo (its old number taken out first); returns its number.
    private func upsert(_ document: SearchDocument, _ photoVectors: [String: [Float]]) -> Int {
        let number = columns.count
        columns.append(document)
        facetColumns.append(columns, number)
        index.append(document, recency: columns.recency)
        numbers.set(document.id, number)
        parser.places.formUnion(document.foldedPlaces)
        assignVectors(photoVectors, to: number)
        return number
    }

    /// Photo numbers given out, present or not: what a change has cost so far.
    public var numbersUsed: Int { lock.read { columns.count } }

    /// Whether changes have left enough behind to be worth a whole read: numbers for half as many again as there
    /// are photos, or tails (inserted into, a copy per insert) holding a quarter as many postings as were built.
    public var isFragmented: Bool {
        lock.read {
            let tailed = index.tails.values.reduce(0) { $0 + $1.docs.count }
            return columns.count > numbers.count + numbers.count / 2 + 10_000 || tailed > index.postingDocs.count / 4 + 50_000
        }
    }
}
