import Foundation
import NIOCore
import NIOPosix

/// A real SMTP server on the loopback for one test: scripts/smtp-sink.py (aiosmtpd, from
/// the project's .venv, which scripts/python-tools.sh fills), keeping what it accepts in
/// a Maildir that the test reads.
/// (Unchecked: its process is touched only by one blocking call at a time.)
public final class MailSink: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public let port: Int
    let directory: URL
    let process: Process

    /// Runs `body` with a sink started with `arguments` (`--auth USER:PASSWORD`,
    /// `--tls CERT KEY`, `--refuse CODE`), and stops it afterwards.
    public static func with<Result>(_ arguments: [String] = [], _ body: (MailSink) async throws -> Result) async throws -> Result {
        // A port found free can be taken by another test before the sink binds it: try
        // another port, twice at most.
        var started: MailSink?
        for attempt in 1...3 where started == nil {
            do {
                started = try await MailSink(arguments)
            } catch let error as Unavailable where attempt < 3 && error.description.contains("did not start") {
                continue
            }
        }
        guard let sink = started else { throw Unavailable(description: "the SMTP sink did not start") }
        do {
            let result = try await body(sink)
            await sink.stop()
            return result
        } catch {
            await sink.stop()
            throw error
        }
    }

    private init(_ arguments: [String]) async throws {
        let python = Self.root.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw Unavailable(description: "no .venv with aiosmtpd: run scripts/python-tools.sh (make test does)")
        }
        port = try await Self.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mpmp-sink-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = python
        process.arguments =
            [Self.root.appendingPathComponent("scripts/smtp-sink.py").path, "--port", "\(port)", "--maildir", directory.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        self.process = process
        // Process and pipes block: off the cooperative threads.
        let ready = try await Self.blocking {
            try process.run()
            return String(decoding: output.fileHandleForReading.readData(ofLength: 6), as: UTF8.self)
        }
        guard ready.hasPrefix("ready") else {
            await stop()
            throw Unavailable(description: "the SMTP sink did not start")
        }
    }

    func stop() async {
        let process = process
        _ = try? await Self.blocking {
            if process.isRunning { process.terminate() }
            Self.awaitExit(of: process, killingAfter: 5, givingUpAfter: 10)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Waits until `process` has ended, sending SIGKILL after `killingAfter` seconds (when
    /// given) and returning after `givingUpAfter` whatever happened. Never Foundation's
    /// `waitUntilExit`: on Linux it spins for ever when its watch misses the child's end,
    /// which hung a CI run with all tests done (seen 2026-12-02).
    static func awaitExit(of process: Process, killingAfter: TimeInterval? = nil, givingUpAfter limit: TimeInterval) {
        let start = Date()
        var killed = false
        while process.isRunning {
            let elapsed = Date().timeIntervalSince(start)
            if elapsed > limit { return }
            if let killingAfter, elapsed > killingAfter, !killed {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }

    /// `work` on a thread of its own, so that blocking calls never hold a cooperative thread.
    static func blocking<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try work() })
            }
        }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The messages kept so far, as the server received them (line ends as LF).
    public func messages() throws -> [String] {
        let new = directory.appendingPathComponent("new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: new.path)) ?? []
        return try names.sorted().map { try String(contentsOf: new.appendingPathComponent($0), encoding: .utf8) }
    }

    /// A port nobody listens on now: bound, read and released.
    public static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// A self-signed certificate for `localhost` and 127.0.0.1, made with openssl:
    /// (certificate file, key file).
    public static func certificate(in directory: URL) throws -> (String, String) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate,
        ]
        openssl.standardError = FileHandle.nullDevice
        openssl.standardOutput = FileHandle.nullDevice
        try openssl.run()
        awaitExit(of: openssl, givingUpAfter: 60)
        // terminationStatus traps while Foundation thinks the process runs: read the files.
        let made = [certificate, key].allSatisfy { ((try? FileManager.default.attributesOfItem(atPath: $0)[.size]) as? Int ?? 0) > 0 }
        guard !openssl.isRunning, openssl.terminationStatus == 0, made else {
            throw Unavailable(description: "openssl could not make a certificate")
        }
        return (certificate, key)
    }
}
