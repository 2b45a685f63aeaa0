import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A streaming walk over an XML part: `start` for each element (its local name and
/// attributes), `end` with the text the element held directly. No tree is built, so a
/// sheet of a hundred thousand cells is read in one pass.
final class XMLElements: NSObject, XMLParserDelegate {
    private let start: (String, [String: String]) -> Void
    private let end: (String, String) -> Void
    private var text = ""
    private var failure: (any Error)?

    private init(start: @escaping (String, [String: String]) -> Void, end: @escaping (String, String) -> Void) {
        self.start = start
        self.end = end
    }

    /// Walks `data`; throws when it is not well-formed XML.
    static func walk(_ data: Data, start: @escaping (String, [String: String]) -> Void, end: @escaping (String, String) -> Void = { _, _ in }) throws {
        let walker = XMLElements(start: start, end: end)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = walker
        guard parser.parse(), walker.failure == nil else {
            throw walker.failure ?? parser.parserError ?? CocoaError(.fileReadCorruptFile)
        }
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        text = ""
        start(elementName, attributes)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        end(elementName, text)
        text = ""
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        failure = parseError
    }
}

extension Dictionary where Key == String, Value == String {
    /// An attribute by its local name, whatever prefix the producer gave it (`r:id`, `id`).
    func attribute(_ name: String) -> String? {
        if let value = self[name] { return value }
        return first { $0.key.hasSuffix(":" + name) }?.value
    }
}
