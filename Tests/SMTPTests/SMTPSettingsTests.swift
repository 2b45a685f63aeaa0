import Testing

@testable import SMTP

@Suite("SMTP_URL")
struct SMTPSettingsTests {
    @Test(
        "reads scheme, host, port, TLS and the account",
        arguments: [
            ("smtp://mail.example", "mail.example", 587, SMTPSettings.Security.opportunistic, nil, nil),
            ("smtps://mail.example", "mail.example", 465, .implicit, nil, nil),
            ("smtp://mail.example:2525?tls=required", "mail.example", 2525, .required, nil, nil),
            ("smtp://clerk:p%40ss%3Aword@127.0.0.1:1025?tls=none", "127.0.0.1", 1025, SMTPSettings.Security.none, "clerk", "p@ss:word"),
        ] as [(String, String, Int, SMTPSettings.Security, String?, String?)]
    )
    func parses(url: String, host: String, port: Int, security: SMTPSettings.Security, user: String?, password: String?) throws {
        let settings = try SMTPSettings(url: url)
        #expect(settings.host == host)
        #expect(settings.port == port)
        #expect(settings.security == security)
        #expect(settings.username == user)
        #expect(settings.password == password)
    }

    @Test(
        "refuses what cannot work, saying why and never the password",
        arguments: [
            ("ftp://mail.example", "scheme"), ("smtp://", "host"), ("smtp://mail.example?tls=maybe", "tls"),
            ("smtps://mail.example?tls=none", "tls"), ("smtp://clerk@mail.example", "without a password"),
            ("smtp://clerk:hunter2@mail.example:99999", "port"),
        ]
    )
    func refuses(url: String, reason: String) {
        do {
            _ = try SMTPSettings(url: url)
            Issue.record("\(url) was accepted")
        } catch let error as SMTPSettings.Invalid {
            #expect(error.description.contains(reason), "\(error)")
            #expect(!error.description.contains("hunter2"))
        } catch {
            Issue.record("\(url): \(error)")
        }
    }
}
