import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Why a mail was not delivered. `isTransient` says whether trying again later may work:
/// a 4xx reply, a lost or refused connection, a timeout; a 5xx reply or a setting that
/// cannot work will not.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The server answered a step with a reply we did not expect.
        case rejected(SMTPReply)
        /// The connection failed, closed early or broke the protocol.
        case connection(String)
        /// No answer within the time allowed.
        case timeout
        /// The settings ask for what the server cannot give (TLS, AUTH).
        case configuration(String)
    }

    public let stage: String
    public let kind: Kind

    public init(stage: String, kind: Kind) {
        self.stage = stage
        self.kind = kind
    }

    public var isTransient: Bool {
        switch kind {
        case .rejected(let reply): reply.isTransient
        case .connection, .timeout: true
        case .configuration: false
        }
    }

    public var description: String {
        switch kind {
        case .rejected(let reply): "\(stage): the server answered \(reply)"
        case .connection(let reason): "\(stage): \(reason)"
        case .timeout: "\(stage): no answer in time"
        case .configuration(let reason): "\(stage): \(reason)"
        }
    }
}

/// Sends mail over SMTP (RFC 5321): one connection per message, STARTTLS or TLS, AUTH
/// PLAIN, dot-stuffed DATA. A small client on SwiftNIO: there is no SMTP package here.
public struct SMTPClient: Sendable {
    public let settings: SMTPSettings
    public let timeout: Duration
    let group: any EventLoopGroup
    let logger: Logger

    public init(settings: SMTPSettings, timeout: Duration = .seconds(30), logger: Logger) {
        self.settings = settings
        self.timeout = timeout
        self.group = MultiThreadedEventLoopGroup.singleton
        self.logger = logger
    }

    /// Delivers `message` to its recipients; returns the server's reply to the message
    /// (`250 … queued as …`). Throws `SMTPError`.
    @discardableResult
    public func send(_ message: MailMessage) async throws -> SMTPReply {
        let tls = try makeTLSContext()
        let channel = try await connect(tls: settings.security == .implicit ? tls : nil)
        let limit = timeout
        return try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: SMTPReply.self) { group in
                group.addTask {
                    var dialogue = Dialogue(
                        settings: settings, channel: channel.channel, replies: inbound.makeAsyncIterator(), outbound: outbound, tls: tls
                    )
                    return try await dialogue.deliver(message)
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    throw SMTPError(stage: "delivery", kind: .timeout)
                }
                defer { group.cancelAll() }
                guard let reply = try await group.next() else { throw SMTPError(stage: "delivery", kind: .timeout) }
                return reply
            }
        }
    }

    func makeTLSContext() throws -> NIOSSLContext? {
        guard settings.security != .none else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = settings.trustedCertificates {
            configuration.trustRoots = .file(file)
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw SMTPError(stage: "TLS", kind: .configuration("cannot set up TLS: \(error)"))
        }
    }

    func connect(tls: NIOSSLContext?) async throws -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let host = settings.host
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: settings.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            let handler = try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host))
                            try channel.pipeline.syncOperations.addHandler(handler)
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                        return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError(stage: "connect", kind: .connection("cannot reach \(host):\(settings.port): \(error)"))
        }
    }

    /// The name for SNI and certificate checks: none for an IP address.
    static func sniName(_ host: String) -> String? {
        host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
    }
}
