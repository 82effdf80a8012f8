import Foundation
import TestSupport
import XCTest

/// People from the real worker's faces on ../shared/corpus/people, whose IDENTITIES.tsv says who is in each photo.
final class PeopleCorpusTests: CLITestCase {
    func testTheCorpusPeopleAreFoundPhotoPairByPhotoPair() throws {
        guard FileManager.default.fileExists(atPath: Corpus.packageRoot.appendingPathComponent("models/face_descriptor.onnx").path) else {
            throw XCTSkip("the face descriptor is not exported (run scripts/setup.sh)")
        }
        let photos = try corpusFiles("people").filter { ["jpg", "png"].contains($0.pathExtension) }
        let identities = try String(contentsOf: photos[0].deletingLastPathComponent().appendingPathComponent("IDENTITIES.tsv"), encoding: .utf8)
        var truth = [String: Set<String>]()  // file name → who is in it
        for line in identities.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t")
            for file in columns[1].split(separator: " ") { truth[String(file), default: []].insert(String(columns[0])) }
        }
        try scratch.copy(photos, into: "library")
        let run = try viewfinder("index", "--no-text", scratch.path + "/library")
        XCTAssertEqual(run.status, 0, run.stderr)
        let answer = try XCTUnwrap(try json("people", "--json") as? [String: Any])
        let people = try XCTUnwrap(answer["people"] as? [[String: Any]])
        var found = [String: Set<Int>]()  // file name → the people it is in
        for person in people {
            for path in person["photos"] as? [String] ?? [] { found[(path as NSString).lastPathComponent, default: []].insert(person["id"] as! Int) }
        }
        var (bothSay, weSay, theySay) = (0, 0, 0)
        let names = truth.keys.sorted()
        for (i, a) in names.enumerated() {
            for b in names[(i + 1)...] {
                let same = !truth[a]!.isDisjoint(with: truth[b]!)
                let grouped = !(found[a] ?? []).isDisjoint(with: found[b] ?? [])
                if same && grouped { bothSay += 1 }
                if grouped { weSay += 1 }
                if same { theySay += 1 }
            }
        }
        let precision = Double(bothSay) / Double(max(1, weSay)), recall = Double(bothSay) / Double(max(1, theySay))
        print(String(format: "people corpus: %d people, pairwise precision %.3f, recall %.3f", people.count, precision, recall))
        XCTAssertGreaterThanOrEqual(precision, 0.95, "pairwise precision over photo pairs; people: \(found)")
        XCTAssertGreaterThanOrEqual(recall, 0.95, "pairwise recall over photo pairs; people: \(found)")
        XCTAssertNil(found["lin_manuel_miranda-1.png"], "someone seen once joins nobody")
        for (file, who) in truth where who.count > 1 {
            XCTAssertEqual(found[file]?.count, who.count, "\(file) is in every person it shows")
        }
    }
}
