import Catalogue
import Foundation
import GRDB

/// Named, append-only schema steps: never edit one that has shipped, add the next.
enum CatalogueMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 photos, jobs, problems") { db in
            try db.create(table: "photo") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("path", .text).notNull().unique()
                t.column("fileSize", .integer).notNull()
                t.column("modifiedAt", .integer).notNull()
                t.column("sidecarModifiedAt", .integer)
                t.column("contentHash", .text).notNull().indexed()
                t.column("missing", .boolean).notNull().defaults(to: false)
                t.column("format", .text).notNull()
                t.column("width", .integer).notNull()
                t.column("height", .integer).notNull()
                t.column("orientation", .integer).notNull()
                t.column("taken", .text)
                t.column("make", .text)
                t.column("model", .text)
                t.column("lens", .text)
                t.column("focalLength", .double)
                t.column("fNumber", .double)
                t.column("exposureTime", .double)
                t.column("iso", .integer)
                t.column("lat", .double)
                t.column("lon", .double)
                t.column("alt", .double)
                t.column("rating", .integer)
                t.column("description", .text)
                t.column("keywords", .text).notNull()
                t.column("thumbhash", .blob)
                t.column("indexedAt", .double).notNull()
            }
            try db.create(table: "job") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("target", .text).notNull()
                t.column("crashes", .integer).notNull().defaults(to: 0)
                t.uniqueKey(["kind", "target"])
            }
            // Finding the photos a scan no longer saw must not read the whole catalogue.
            try db.execute(sql: "CREATE INDEX photo_missing ON photo(path) WHERE missing = 1")
            // Claiming walks this index from the cursor: no sort of the whole queue per claim.
            try db.create(index: "job_on_kind_crashes_id", on: "job", columns: ["kind", "crashes", "id"])
            try db.create(table: "problem") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("path", .text).notNull().indexed()
                t.column("fileSize", .integer).notNull()
                t.column("modifiedAt", .integer).notNull()
                t.column("stage", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("recordedAt", .double).notNull()
            }
        }
        migrator.registerMigration("v2 descriptions and vectors") { db in
            try db.create(table: "description") { t in
                t.primaryKey("photoID", .integer).references("photo", onDelete: .cascade)
                t.column("contentHash", .text).notNull()
                t.column("caption", .text).notNull()
                t.column("labels", .text).notNull()
                t.column("text", .text).notNull()
                t.column("faces", .text).notNull()
                t.column("faceCount", .integer).notNull()
                t.column("place", .text)
                t.column("models", .text).notNull()
                t.column("describedAt", .double).notNull()
            }
            try db.create(table: "vector") { t in
                t.column("photoID", .integer).notNull().references("photo", onDelete: .cascade)
                t.column("model", .text).notNull()
                t.column("vector", .blob).notNull()
                t.primaryKey(["photoID", "model"])
            }
            // Photos indexed before the models existed get described too.
            try db.execute(sql: "INSERT OR IGNORE INTO job (kind, target) SELECT 'describe', id FROM photo")
        }
        migrator.registerMigration("v3 job claims, offline photos, settings") { db in
            // Several processes share one queue: a claim names its process and lapses unless renewed.
            try db.alter(table: "job") { t in
                t.add(column: "claimedBy", .text)
                t.add(column: "leaseUntil", .double)
            }
            // Renewing, releasing and listing claims touch only the claimed few, not a million queued jobs.
            try db.execute(sql: "CREATE INDEX job_claimed ON job(claimedBy) WHERE claimedBy IS NOT NULL")
            // Facts about the catalogue as a whole, such as the models its descriptions were reconciled with.
            try db.create(table: "setting") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            // Photos that vanished with their whole folder (a share not mounted): hidden, kept for a grace period.
            try db.create(table: "offline") { t in
                t.primaryKey("photoID", .integer).references("photo", onDelete: .cascade)
                t.column("since", .double).notNull()
                t.column("reason", .text).notNull()
            }
        }
        migrator.registerMigration("v4 search change log") { db in
            // Every change search sees, in order: a server keeps its engine current by reading what came after
            // the last change it applied, instead of rereading the catalogue.
            try db.execute(sql: """
                CREATE TABLE searchChange (seq INTEGER PRIMARY KEY AUTOINCREMENT, photoID INTEGER NOT NULL);
                CREATE TRIGGER photo_added AFTER INSERT ON photo BEGIN INSERT INTO searchChange (photoID) VALUES (NEW.id); END;
                CREATE TRIGGER photo_changed AFTER UPDATE ON photo BEGIN INSERT INTO searchChange (photoID) VALUES (NEW.id); END;
                CREATE TRIGGER photo_removed AFTER DELETE ON photo BEGIN INSERT INTO searchChange (photoID) VALUES (OLD.id); END;
                CREATE TRIGGER description_added AFTER INSERT ON description BEGIN INSERT INTO searchChange (photoID) VALUES (NEW.photoID); END;
                CREATE TRIGGER description_changed AFTER UPDATE ON description BEGIN INSERT INTO searchChange (photoID) VALUES (NEW.photoID); END;
                CREATE TRIGGER description_removed AFTER DELETE ON description BEGIN INSERT INTO searchChange (photoID) VALUES (OLD.photoID); END;
                CREATE TRIGGER vector_added AFTER INSERT ON vector BEGIN INSERT INTO searchChange (photoID) VALUES (NEW.photoID); END;
                CREATE TRIGGER vector_changed AFTER UPDATE ON vector BEGIN INSERT INTO searchChange (photoID) VALUES (NEW.photoID); END;
                CREATE TRIGGER vector_removed AFTER DELETE ON vector BEGIN INSERT INTO searchChange (photoID) VALUES (OLD.photoID); END;
                """)
            // A saved search engine names the catalogue it was built from; a backup gets a name of its own (see
            // OnlineBackup), as a restored catalogue's change numbers mean other changes.
            try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('catalogue', ?)", arguments: [UUID().uuidString])
        }
        migrator.registerMigration("v5 sessions") { db in
            // Signed-in sessions outlive a restart of serve.
            try db.execute(sql: "CREATE TABLE session (key TEXT PRIMARY KEY, value BLOB NOT NULL, expires DOUBLE)")
            try db.execute(sql: "CREATE INDEX session_expires ON session(expires)")
        }
        migrator.registerMigration("v6 people") { db in
            // Ids are never given out twice (AUTOINCREMENT): scripts keep a person's number.
            try db.execute(sql: """
                CREATE TABLE person (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, hidden BOOLEAN NOT NULL DEFAULT 0,
                                     createdAt DOUBLE NOT NULL);
                CREATE TABLE face (
                    photoID INTEGER NOT NULL REFERENCES photo(id) ON DELETE CASCADE, faceIndex INTEGER NOT NULL,
                    x DOUBLE NOT NULL, y DOUBLE NOT NULL, w DOUBLE NOT NULL, h DOUBLE NOT NULL, descriptor BLOB, quality DOUBLE,
                    personID INTEGER REFERENCES person(id) ON DELETE SET NULL, movedByHand BOOLEAN NOT NULL DEFAULT 0,
                    clustered BOOLEAN NOT NULL DEFAULT 0, representative BOOLEAN NOT NULL DEFAULT 0,
                    PRIMARY KEY (photoID, faceIndex));
                CREATE INDEX face_person ON face(personID) WHERE personID IS NOT NULL;
                CREATE INDEX face_new ON face(photoID) WHERE clustered = 0;
                CREATE INDEX face_representative ON face(personID) WHERE representative = 1;
                CREATE INDEX face_loose ON face(photoID) WHERE personID IS NULL AND clustered = 1 AND movedByHand = 0;
                """)
            // Whose faces a photo shows is part of its search text: a face given to someone else, or a person named,
            // changes the photos concerned.
            try db.execute(sql: """
                CREATE TRIGGER face_added AFTER INSERT ON face BEGIN INSERT INTO searchChange (photoID) VALUES (NEW.photoID); END;
                CREATE TRIGGER face_moved AFTER UPDATE OF personID ON face BEGIN INSERT INTO searchChange (photoID) VALUES (NEW.photoID); END;
                CREATE TRIGGER face_removed AFTER DELETE ON face BEGIN INSERT INTO searchChange (photoID) VALUES (OLD.photoID); END;
                CREATE TRIGGER person_renamed AFTER UPDATE OF name, hidden ON person BEGIN
                    INSERT INTO searchChange (photoID) SELECT DISTINCT photoID FROM face WHERE personID = NEW.id;
                END;
                """)
        }
        migrator.registerMigration("v7 face regions") { db in
            // Named faces other programs wrote (XMP mwg-rs:Regions), as JSON beside the keywords.
            try db.alter(table: "photo") { t in t.add(column: "regions", .text) }
        }
        migrator.registerMigration("v8 videos") { db in
            // A video's length (its format says it is one) and the identifier that pairs a Live Photo's two files.
            try db.alter(table: "photo") { t in
                t.add(column: "duration", .double)
                t.add(column: "contentIdentifier", .text)
            }
        }
        migrator.registerMigration("v9 burst identifier") { db in
            // What stacks a burst's frames (see Search's Stacks).
            try db.alter(table: "photo") { t in t.add(column: "burstIdentifier", .text) }
        }
        migrator.registerMigration("v10 perceptual hash") { db in
            // How each photo looks in 64 bits, for near-duplicates; filled in from the thumbnail for photos indexed before.
            try db.alter(table: "photo") { t in t.add(column: "perceptualHash", .integer) }
            try db.execute(sql: "CREATE INDEX photo_unhashed ON photo(contentHash) WHERE perceptualHash IS NULL")
        }
        migrator.registerMigration("v11 people mark") { db in
            // Moves with every change clustering's known faces depend on (whose a face is, which faces stand for
            // people or wait loose, which people exist), so a process that keeps them knows when another changed people.
            try db.execute(sql: """
                CREATE TABLE peopleMark (id INTEGER PRIMARY KEY CHECK (id = 1), mark INTEGER NOT NULL);
                INSERT INTO peopleMark (id, mark) VALUES (1, 0);
                CREATE TRIGGER face_people_changed AFTER UPDATE OF personID, movedByHand, clustered, representative, descriptor, quality
                    ON face BEGIN UPDATE peopleMark SET mark = mark + 1; END;
                CREATE TRIGGER face_people_removed AFTER DELETE ON face BEGIN UPDATE peopleMark SET mark = mark + 1; END;
                CREATE TRIGGER face_people_carried AFTER INSERT ON face WHEN NEW.clustered BEGIN UPDATE peopleMark SET mark = mark + 1; END;
                CREATE TRIGGER person_people_removed AFTER DELETE ON person BEGIN UPDATE peopleMark SET mark = mark + 1; END;
                """)
        }
        return migrator
    }
}

/// The thumbnail key-value store lives in its own file, so the catalogue stays small enough to back up often.
enum ThumbnailMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 renditions") { db in
            // Kilobyte blobs go in rowid order (appended); only the small key index takes random inserts.
            try db.create(table: "rendition") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("contentHash", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("bytes", .blob).notNull()
                t.uniqueKey(["contentHash", "kind"])
            }
        }
        return migrator
    }
}
