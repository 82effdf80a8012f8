/// Everything one catalogue holds: photos, the job queue, problems, facts, the change log search follows and
/// signed-in sessions, and people.
/// `SQLiteStore` is the embedded implementation and `PostgresStore` the shared one; each part is a protocol of
/// its own so code that needs one part says so.
public typealias PhotoStore = PhotoCatalogue & JobQueue & ProblemLog & CatalogueFacts & SearchCatalogue & SessionStore & PeopleCatalogue
