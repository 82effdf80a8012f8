import PostgresNIO

/// Named, append-only schema steps, as for SQLite: never edit one that has shipped, add the next. Every process
/// migrates at start under one advisory lock, so several starting at once apply each step once.
enum PostgresMigrations {
    static let steps: [(name: String, sql: [String])] = [
        ("v1 catalogue", [
            // Paths compare byte by byte ("C"), as the range below a folder needs.
            """
            CREATE TABLE photo (
                id bigserial PRIMARY KEY, path text COLLATE "C" NOT NULL UNIQUE, fileSize bigint NOT NULL,
                modifiedAt bigint NOT NULL, sidecarModifiedAt bigint, contentHash text NOT NULL,
                missing boolean NOT NULL DEFAULT false, format text NOT NULL, width bigint NOT NULL,
                height bigint NOT NULL, orientation bigint NOT NULL, taken text COLLATE "C", make text, model text, lens text,
                focalLength double precision, fNumber double precision, exposureTime double precision, iso bigint,
                lat double precision, lon double precision, alt double precision, rating bigint, description text,
                keywords text NOT NULL, thumbhash bytea, indexedAt double precision NOT NULL)
            """,
            "CREATE INDEX photo_content ON photo (contentHash)",
            "CREATE INDEX photo_missing ON photo (path) WHERE missing",
            """
            CREATE TABLE job (
                id bigserial PRIMARY KEY, kind text NOT NULL, target text NOT NULL, crashes bigint NOT NULL DEFAULT 0,
                claimedBy text, leaseUntil double precision, UNIQUE (kind, target))
            """,
            "CREATE INDEX job_on_kind_crashes_id ON job (kind, crashes, id)",
            "CREATE INDEX job_claimed ON job (claimedBy) WHERE claimedBy IS NOT NULL",
            """
            CREATE TABLE problem (
                id bigserial PRIMARY KEY, path text COLLATE "C" NOT NULL, fileSize bigint NOT NULL,
                modifiedAt bigint NOT NULL, stage text NOT NULL, severity text NOT NULL, reason text NOT NULL,
                recordedAt double precision NOT NULL)
            """,
            "CREATE INDEX problem_path ON problem (path)",
            """
            CREATE TABLE description (
                photoID bigint PRIMARY KEY REFERENCES photo ON DELETE CASCADE, contentHash text NOT NULL,
                caption text NOT NULL, labels text NOT NULL, text text NOT NULL, faces text NOT NULL,
                faceCount bigint NOT NULL, place text, models text NOT NULL, describedAt double precision NOT NULL)
            """,
            """
            CREATE TABLE vector (
                photoID bigint NOT NULL REFERENCES photo ON DELETE CASCADE, model text COLLATE "C" NOT NULL, vector bytea NOT NULL,
                PRIMARY KEY (photoID, model))
            """,
            "CREATE TABLE setting (key text COLLATE \"C\" PRIMARY KEY, value text NOT NULL)",
            """
            CREATE TABLE offline (
                photoID bigint PRIMARY KEY REFERENCES photo ON DELETE CASCADE, since double precision NOT NULL,
                reason text NOT NULL)
            """,
            // The change log search servers follow. Writers of it take one lock until they commit, so its numbers
            // become visible in order and a reader that saw change n never finds an earlier one appear later;
            // NOTIFY (sent at commit) wakes the servers. Changes are kept a while (see forgetChanges) for servers
            // that were away.
            """
            CREATE TABLE searchChange (
                seq bigserial PRIMARY KEY, photoID bigint NOT NULL,
                madeAt double precision NOT NULL DEFAULT extract(epoch FROM now()))
            """,
            """
            CREATE FUNCTION search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE changed bigint;
            BEGIN
                PERFORM pg_advisory_xact_lock(\(changeLogLock));
                IF TG_TABLE_NAME = 'photo' THEN
                    changed := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
                ELSE
                    changed := CASE WHEN TG_OP = 'DELETE' THEN OLD.photoID ELSE NEW.photoID END;
                END IF;
                INSERT INTO searchChange (photoID) VALUES (changed);
                PERFORM pg_notify('\(changeChannel)', '');
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER photo_changes AFTER INSERT OR UPDATE OR DELETE ON photo FOR EACH ROW EXECUTE FUNCTION search_changed()",
            "CREATE TRIGGER description_changes AFTER INSERT OR UPDATE OR DELETE ON description FOR EACH ROW EXECUTE FUNCTION search_changed()",
            "CREATE TRIGGER vector_changes AFTER INSERT OR UPDATE OR DELETE ON vector FOR EACH ROW EXECUTE FUNCTION search_changed()",
            // A saved search engine names the catalogue it was built from.
            "INSERT INTO setting (key, value) VALUES ('catalogue', gen_random_uuid()::text)",
            // Keys in byte order (as SQLite compares them): `migrate` reads these tables in key order through the index.
            """
            CREATE TABLE rendition (
                contentHash text COLLATE "C" NOT NULL, kind text COLLATE "C" NOT NULL, bytes bytea NOT NULL,
                PRIMARY KEY (contentHash, kind))
            """,
            // Signed-in sessions, shared by every search server.
            "CREATE TABLE session (key text PRIMARY KEY, value bytea NOT NULL, expires double precision)",
            "CREATE INDEX session_expires ON session (expires)",
        ]),
        ("v2 people", [
            """
            CREATE TABLE person (id bigserial PRIMARY KEY, name text, hidden boolean NOT NULL DEFAULT false,
                                 createdAt double precision NOT NULL)
            """,
            """
            CREATE TABLE face (
                photoID bigint NOT NULL REFERENCES photo ON DELETE CASCADE, faceIndex bigint NOT NULL,
                x double precision NOT NULL, y double precision NOT NULL, w double precision NOT NULL,
                h double precision NOT NULL, descriptor bytea, quality double precision,
                personID bigint REFERENCES person ON DELETE SET NULL, movedByHand boolean NOT NULL DEFAULT false,
                clustered boolean NOT NULL DEFAULT false, representative boolean NOT NULL DEFAULT false,
                PRIMARY KEY (photoID, faceIndex))
            """,
            "CREATE INDEX face_person ON face (personID) WHERE personID IS NOT NULL",
            "CREATE INDEX face_new ON face (photoID) WHERE NOT clustered",
            "CREATE INDEX face_representative ON face (personID) WHERE representative",
            "CREATE INDEX face_loose ON face (photoID) WHERE personID IS NULL AND clustered AND NOT movedByHand",
            // Whose faces a photo shows is part of its search text (see search_changed).
            "CREATE TRIGGER face_changes AFTER INSERT OR DELETE ON face FOR EACH ROW EXECUTE FUNCTION search_changed()",
            "CREATE TRIGGER face_moves AFTER UPDATE OF personID ON face FOR EACH ROW EXECUTE FUNCTION search_changed()",
            """
            CREATE FUNCTION person_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(\(changeLogLock));
                INSERT INTO searchChange (photoID) SELECT DISTINCT photoID FROM face WHERE personID = NEW.id;
                PERFORM pg_notify('\(changeChannel)', '');
                RETURN NULL;
            END $$
            """,
            "CREATE TRIGGER person_changes AFTER UPDATE OF name, hidden ON person FOR EACH ROW EXECUTE FUNCTION person_renamed()",
        ]),
        // Named faces other programs wrote (XMP mwg-rs:Regions), as JSON beside the keywords.
        ("v3 face regions", ["ALTER TABLE photo ADD COLUMN regions text"]),
        // A video's length (its format says it is one) and the identifier that pairs a Live Photo's two files.
        ("v4 videos", ["ALTER TABLE photo ADD COLUMN duration double precision", "ALTER TABLE photo ADD COLUMN contentIdentifier text"]),
        // What stacks a burst's frames (see Search's Stacks).
        ("v5 burst identifier", ["ALTER TABLE photo ADD COLUMN burstIdentifier text"]),
        // How each photo looks in 64 bits, for near-duplicates; filled in from the thumbnail for photos indexed before.
        ("v6 perceptual hash", ["ALTER TABLE photo ADD COLUMN perceptualHash bigint",
                                "CREATE INDEX photo_unhashed ON photo (contentHash) WHERE perceptualHash IS NULL"]),
        // Moves with every change clustering's known faces depend on (whose a face is, which faces stand for people
        // or wait loose, which people exist), so a process that keeps them knows when another changed people.
        ("v7 people mark", [
            "CREATE TABLE peopleMark (id int PRIMARY KEY CHECK (id = 1), mark bigint NOT NULL)",
            "INSERT INTO peopleMark (id, mark) VALUES (1, 0)",
            """
            CREATE FUNCTION people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- Once a transaction: every update of the one row keeps a version until commit, and each later update
                -- walks them, so a row at a time grew with the square of the faces a statement touched.
                IF current_setting('viewfinder.people_mark_moved', true) IS DISTINCT FROM 'yes' THEN
                    PERFORM set_config('viewfinder.people_mark_moved', 'yes', true);
                    UPDATE peopleMark SET mark = mark + 1;
                END IF;
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER face_people_changed AFTER UPDATE OF personID, movedByHand, clustered, representative, descriptor, quality
            ON face FOR EACH ROW EXECUTE FUNCTION people_changed()
            """,
            "CREATE TRIGGER face_people_removed AFTER DELETE ON face FOR EACH ROW EXECUTE FUNCTION people_changed()",
            "CREATE TRIGGER face_people_carried AFTER INSERT ON face FOR EACH ROW WHEN (NEW.clustered) EXECUTE FUNCTION people_changed()",
            "CREATE TRIGGER person_people_removed AFTER DELETE ON person FOR EACH ROW EXECUTE FUNCTION people_changed()",
        ]),
    ]

    /// The advisory lock the change log's writers queue on.
    static let changeLogLock = 74_110_001
    /// The advisory lock migrations run under.
    static let migrationLock = 74_110_000
    /// The channel a committed change is announced on.
    static let changeChannel = "viewfinder_search"

    static func migrate(_ link: PostgresLink) throws {
        try link.transaction { connection in
            try link.run("SELECT pg_advisory_xact_lock(\(migrationLock))", on: connection)
            try link.run("CREATE TABLE IF NOT EXISTS migration (name text PRIMARY KEY, appliedAt timestamptz NOT NULL DEFAULT now())",
                         on: connection)
            let applied = Set(try link.run("SELECT name FROM migration", on: connection).rows.map { try $0.decode(String.self) })
            for step in steps where !applied.contains(step.name) {
                for statement in step.sql { try link.run(PostgresQuery(unsafeSQL: statement), on: connection) }
                try link.run("INSERT INTO migration (name) VALUES (\(step.name))", on: connection)
            }
        }
    }
}
