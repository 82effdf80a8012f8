import Catalogue
import Foundation

/// The answer `/api/duplicates` last gave, kept until the library applies another change: grouping reads every
/// photo and costs seconds at 100,000, so it is done again only when the catalogue has changed since.
final class DuplicateCache: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: (mark: ChangeMark, answer: DuplicatesAnswer)?
    private var count = 0

    /// How many times the photos were grouped.
    var groupings: Int { lock.withLock { count } }

    /// The answer for the library as it stands: the kept one when no change was applied since, else `group`'s for
    /// the current snapshot, kept. One grouping at a time, so requests arriving together wait for it instead of
    /// each grouping, and the mark is read once the lock is held, so a slow request never keeps an older answer.
    func answer(_ library: LiveLibrary, group: (LibrarySnapshot) throws -> DuplicatesAnswer) rethrows -> DuplicatesAnswer {
        try lock.withLock {
            let (snapshot, mark) = library.applied
            if let kept, kept.mark == mark { return kept.answer }
            let answer = try group(snapshot)
            kept = (mark, answer)
            count += 1
            return answer
        }
    }
}
