import CShims
import Catalogue
import Foundation
import Indexer
import ViewfinderCore

/// One side of a copy: its facts (where its identity is kept), its rows, and its name for messages.
struct CopyEnd {
    let facts: CatalogueFacts
    let rows: CatalogueTransfer
    let name: String
}

/// Something `migrate` will not do, or found wrong, said in words.
struct MigrateFailure: Error, CustomStringConvertible {
    var description: String
}

/// What one kind of row holds on one side: how many rows, and the SHA-256 of all of them in key order.
struct KindSummary: Equatable {
    var count: Int
    var hash: String
}

/// Copies every row of one catalogue into another, carrying on after an interrupted run, then checks that both
/// hold the same rows.
struct CatalogueCopy {
    let source: CopyEnd
    let target: CopyEnd
    let progress: ProgressSink

    /// Refuses a target that holds anything but a copy of this source; marks an empty one as this source's copy
    /// before the first row goes in, so a run killed at any point is recognised and carried on.
    func claimTarget() throws {
        guard let identity = try source.facts.setting("catalogue") else {
            throw MigrateFailure(description: "\(source.name) has no catalogue identity: open it once with this version first")
        }
        if try target.facts.setting(TransferKind.copiedFromSetting) == identity {
            guard try target.facts.setting(TransferKind.finishedCopySetting) != identity else {
                throw MigrateFailure(description: """
                    \(target.name) is a finished, verified copy of \(source.name); it may have been used since, so migrate \
                    does not write into it again: copy into an empty catalogue instead
                    """)
            }
            return
        }
        let held = try TransferKind.allCases.compactMap { kind in
            let count = try target.rows.transferCount(kind)
            return count > 0 ? "\(count) \(kind.rawValue)" : nil
        }
        guard held.isEmpty else {
            throw MigrateFailure(description: """
                \(target.name) already holds \(held.joined(separator: ", ")) and is not a copy of \(source.name): \
                migrate copies into an empty catalogue (a new data folder, or a new database from createdb) or \
                carries on a copy of the same source
                """)
        }
        try target.facts.setSetting(TransferKind.copiedFromSetting, identity)
    }

    /// Copies what the target lacks, kind by kind in key order, one transaction per batch; returns how many rows
    /// were new.
    func copy() throws -> Int {
        let started = Date()
        let total = try TransferKind.allCases.reduce(0) { $0 + (try source.rows.transferCount($1)) }
        var done = 0
        var added = 0
        func report(final: Bool) {
            let moment = ProgressReport(phase: .copying, done: done, total: max(total, done), failed: 0,
                                        elapsed: Date().timeIntervalSince(started))
            final ? progress.finish(moment) : progress.report(moment)
        }
        for kind in TransferKind.allCases {
            // Batches commit in key order, so a killed run's copy ends at its last key: carry on from there.
            let resumed = try target.rows.lastTransferKey(kind)
            done += try target.rows.transferCount(kind)
            added += try pass(kind, after: resumed) { done += $0; report(final: false) }
            // Rows the source gained below that key since (a new rendition's hash sorts anywhere): one more pass
            // from the start, skipping what is there.
            if resumed != nil, try target.rows.transferCount(kind) < source.rows.transferCount(kind) {
                added += try pass(kind, after: nil) { _ in }
            }
        }
        try target.rows.finishTransfer()
        report(final: true)
        return added
    }

    /// Copies the source's rows of a kind after a key; returns how many the target did not have.
    private func pass(_ kind: TransferKind, after start: [TransferValue]?, read: (Int) -> Void) throws -> Int {
        var cursor = start
        var added = 0
        while true {
            let batch = try source.rows.transferRows(kind, after: cursor, limit: kind.batchSize)
            guard let last = batch.last else { return added }
            added += try target.rows.insertTransferRows(kind, batch)
            cursor = Array(last.cells.prefix(kind.keyCount))
            read(batch.count)
        }
    }

    /// Every row of every kind on one side, counted and hashed in key order.
    static func summary(of end: CopyEnd) throws -> [(kind: TransferKind, summary: KindSummary)] {
        try TransferKind.allCases.map { kind -> (kind: TransferKind, summary: KindSummary) in
            var hasher = try RowHasher()
            var count = 0
            var cursor: [TransferValue]?
            while true {
                let batch = try end.rows.transferRows(kind, after: cursor, limit: kind.batchSize)
                guard let last = batch.last else { break }
                for row in batch { hasher.add(row) }
                count += batch.count
                cursor = Array(last.cells.prefix(kind.keyCount))
            }
            return (kind, KindSummary(count: count, hash: hasher.finish()))
        }
    }
}

/// SHA-256 over rows in order, each cell tagged with its shape and text and bytes with their length, so two
/// different lists of rows never feed it the same bytes. The same rows hash alike in either store.
struct RowHasher {
    private let state: OpaquePointer

    init() throws {
        guard let state = vf_sha256_begin() else { throw MigrateFailure(description: "cannot start SHA-256 (OpenSSL)") }
        self.state = state
    }

    mutating func add(_ row: TransferRow) {
        var bytes = [UInt8]()
        func number(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        for cell in row.cells {
            switch cell {
            case .null: bytes.append(0)
            case let .integer(value): bytes.append(1); number(UInt64(bitPattern: value))
            case let .real(value): bytes.append(2); number(value.bitPattern)
            case let .text(value): bytes.append(3); number(UInt64(value.utf8.count)); bytes += value.utf8
            case let .bytes(value): bytes.append(4); number(UInt64(value.count)); bytes += value
            }
        }
        bytes.withUnsafeBufferPointer { vf_sha256_add(state, $0.baseAddress, $0.count) }
    }

    func finish() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        vf_sha256_finish(state, &digest)
        return ContentHash(digest: digest).hex
    }
}
