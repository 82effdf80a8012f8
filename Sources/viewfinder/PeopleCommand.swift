import ArgumentParser
import Catalogue
import Foundation
import Indexer

struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "The people faces were grouped into: list, name, merge, hide, and move a face.",
        discussion: """
            Faces are grouped as photos are described: someone seen in two photos becomes a person (unnamed until
            named); a face seen once waits for a match. Names are searched (person:"Ada Lovelace").

            Examples:
              viewfinder people
              viewfinder people --json | jq '.people[] | select(.name == null) | .id'
              viewfinder people name 3 "Ada Lovelace"
              viewfinder people merge 7 3            # person 7's faces become Ada's
              viewfinder people hide 12              # a stranger: left out of the list (--all shows them)
              viewfinder people move ~/Pictures/party.jpg 1 none   # the photo's second face is nobody
              viewfinder people move ~/Pictures/party.jpg 0 3      # its first face is Ada
            """,
        subcommands: [List.self, Name.self, Merge.self, Hide.self, Move.self],
        defaultSubcommand: List.self)

    /// An id the catalogue does not hold is said in words, as other commands say a path is not in the catalogue.
    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let error as PeopleError { throw ValidationError(error.description) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Every person: id, name, faces, photos (the default).")

        @OptionGroup var common: CommonOptions

        @Flag(name: .long, help: "Print as JSON: {people: [{id, name, faces, photos: [path, ...]}]} (name null when unnamed).")
        var json = false

        @Flag(name: .long, help: "Hidden people too.")
        var all = false

        struct Person: Encodable {
            var id: Int64
            var name: String?
            var faces: Int
            var photos: [String]
            var hidden: Bool

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(id, forKey: .id)
                try c.encode(name, forKey: .name)  // null, not left out, when unnamed
                try c.encode(faces, forKey: .faces)
                try c.encode(photos, forKey: .photos)
                try c.encode(hidden, forKey: .hidden)
            }

            enum CodingKeys: String, CodingKey { case id, name, faces, photos, hidden }
        }

        struct Answer: Encodable { var people: [Person] }

        func run() throws {
            common.bootstrapLogging()
            let library = try common.openLibrary()
            let people = try library.store.people(includingHidden: all).map { summary in
                Person(id: summary.person.id, name: summary.person.name, faces: summary.faces, photos: summary.paths,
                       hidden: summary.person.hidden)
            }
            if json { return try JSONOutput.print(Answer(people: people)) }
            if people.isEmpty { return print("no people yet: someone seen in two photos becomes one as photos are described") }
            for person in people {
                let photos = person.photos.count == 1 ? "1 photo" : "\(person.photos.count) photos"
                print("\(person.id)\t\(person.name ?? "(unnamed)")\t\(person.faces) face\(person.faces == 1 ? "" : "s"), \(photos)"
                      + (person.hidden ? ", hidden" : ""))
                for path in person.photos.prefix(3) { print("\t\(path)") }
                if person.photos.count > 3 { print("\t… \(person.photos.count - 3) more") }
            }
        }
    }

    struct Name: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Name or rename a person (an empty name unnames).")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The person's id.") var id: Int64
        @Argument(help: "The name.") var name: String

        func run() throws {
            common.bootstrapLogging()
            let library = try common.openLibrary()
            let name = self.name.trimmingCharacters(in: .whitespacesAndNewlines)
            try PeopleCommand.run { try library.store.name(person: id, name.isEmpty ? nil : name) }
            print(name.isEmpty ? "person \(id) has no name now" : "person \(id) is \(name)")
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every face of the first person to the second (who keeps their name, or takes the first's).")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The person who goes.") var source: Int64
        @Argument(help: "The person who stays.") var target: Int64

        func run() throws {
            common.bootstrapLogging()
            let library = try common.openLibrary()
            guard source != target else { throw ValidationError("a person cannot be merged into themselves") }
            try PeopleCommand.run { try library.store.merge(person: source, into: target) }
            print("person \(source) merged into \(target)")
        }
    }

    struct Hide: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Leave a person out of the people list (--show brings them back).")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The person's id.") var id: Int64
        @Flag(name: .long, help: "Show the person again instead.") var show = false

        func run() throws {
            common.bootstrapLogging()
            let library = try common.openLibrary()
            try PeopleCommand.run { try library.store.setHidden(person: id, !show) }
            print(show ? "person \(id) is shown again" : "person \(id) is hidden")
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put one face of a photo with a person, or with nobody; grouping never moves it again.")

        @OptionGroup var common: CommonOptions
        @Argument(help: "The photo's path.", completion: .file()) var photo: String
        @Argument(help: "Which face, counted from 0 (the order `show --json` lists them in).") var face: Int
        @Argument(help: "The person's id, or none.") var person: String

        func run() throws {
            common.bootstrapLogging()
            let library = try common.openLibrary()
            let target: Int64?
            if person == "none" { target = nil } else if let id = Int64(person) { target = id } else {
                throw ValidationError("the person is an id or none, not '\(person)'")
            }
            guard let found = try library.store.photo(atPath: LibraryIndexer.canonical(photo)), let id = found.id else {
                throw ValidationError("\(photo) is not in the catalogue at \(library.location)")
            }
            try PeopleCommand.run { try library.store.move(face: FaceKey(photoID: id, index: face), to: target) }
            print("face \(face) of \(photo) is " + (target.map { "person \($0)'s" } ?? "nobody's"))
        }
    }
}
