import Storage
import Testing

@Suite("DATABASE_URL parsing")
struct DatabaseURLTests {
    @Test("a complete URL")
    func parsesCompleteURL() throws {
        let url = try DatabaseURL(parsing: "postgres://mpmp:s%40cret@db.example:6543/mpmp?sslmode=require")
        #expect(url == DatabaseURL(host: "db.example", port: 6543, username: "mpmp", password: "s@cret", database: "mpmp", tlsMode: .require))
        #expect(url.redacted == "db.example:6543/mpmp")
    }

    @Test("defaults: port 5432, TLS preferred, no password")
    func appliesDefaults() throws {
        let url = try DatabaseURL(parsing: "postgresql://mpmp@localhost/mpmp")
        #expect(url.port == 5432)
        #expect(url.tlsMode == .prefer)
        #expect(url.password == nil)
    }

    @Test(
        "malformed URLs name what is wrong, never the password",
        arguments: [
            ("mysql://u:p@h/db", "the scheme must be postgres:// or postgresql://"),
            ("postgres://u:p@/db", "the host is missing"),
            ("postgres://h/db", "the user name is missing"),
            ("postgres://u:p@h", "the database name is missing (add /DATABASE after the host)"),
            ("postgres://u:p@h/db?sslmode=sometimes", "sslmode must be disable, prefer or require"),
            ("not a url at all", "the scheme must be postgres:// or postgresql://"),
            ("postgres://u:p@h:99999/db", "the port is out of range"),
        ]
    )
    func rejectsMalformedURLs(text: String, reason: String) {
        #expect(throws: DatabaseURLError(variable: "DATABASE_URL", reason: reason)) {
            try DatabaseURL(parsing: text)
        }
    }
}
