import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

/// What a server's certificate says, for people: whom it is for, who issued it, until when.
/// NIOSSL gives the names and dates; the subject and the issuer are read from the DER here
/// (the shell links no X.509 library for a few names).
public struct CertificateSummary: Sendable, Hashable {
    /// The subject's common name (else its organisation): `api.extruct.ai`.
    public var subject: String
    /// The issuer's common name, with its organisation when that says more: `R11 (Let's Encrypt)`.
    public var issuer: String
    /// Whether the issuer is the subject: a self-signed certificate, or a CA's own.
    public var isSelfIssued: Bool
    /// Its DNS names and IP addresses.
    public var names: [String]
    public var notValidBefore: Int
    public var notValidAfter: Int

    /// The summary of `certificate`.
    init(_ certificate: NIOSSLCertificate) {
        let der = (try? certificate.toDERBytes()) ?? []
        let names = DistinguishedNames(der: der)
        subject = names?.subject.shown ?? "(no name)"
        issuer = names?.issuer.shown ?? "(no name)"
        isSelfIssued = names.map { $0.subject.der == $0.issuer.der } ?? false
        self.names = CertificateProbe.names(of: certificate)
        notValidBefore = Int(certificate.notValidBefore)
        notValidAfter = Int(certificate.notValidAfter)
    }

    /// `2026-11-30`, the last day it is valid.
    public var expiry: String { AsyncHTTPClientTransport.day(time_t(notValidAfter)) }
}

/// The subject and the issuer of a DER certificate:
/// `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version?, serialNumber, signature,
/// issuer Name, validity, subject Name, … } … }`, a `Name` being a sequence of sets of
/// (type, value) pairs.
struct DistinguishedNames: Sendable, Hashable {
    struct Name: Sendable, Hashable {
        /// The name's bytes, to compare.
        var der: ArraySlice<UInt8>
        var commonName: String?
        var organization: String?

        /// The common name, with the organisation when it adds something; else the organisation.
        var shown: String {
            switch (commonName, organization) {
            case (let cn?, let o?) where !cn.contains(o): "\(cn) (\(o))"
            case (let cn?, _): cn
            case (nil, let o?): o
            case (nil, nil): "(no name)"
            }
        }
    }

    var issuer: Name
    var subject: Name

    init?(der bytes: [UInt8]) {
        guard let certificate = DER.element(bytes, at: 0), certificate.tag == 0x30,
            let tbs = DER.element(bytes, at: certificate.content.lowerBound), tbs.tag == 0x30
        else { return nil }
        var fields: [DER.Element] = []
        var at = tbs.content.lowerBound
        while at < tbs.content.upperBound, fields.count < 6, let field = DER.element(bytes, at: at) {
            fields.append(field)
            at = field.end
        }
        // Without the optional [0] version the issuer is the third field, else the fourth.
        let skip = fields.first?.tag == 0xA0 ? 1 : 0
        guard fields.count >= skip + 5 else { return nil }
        let issuer = fields[skip + 2]
        let subject = fields[skip + 4]
        guard issuer.tag == 0x30, subject.tag == 0x30 else { return nil }
        self.issuer = Self.name(bytes, issuer)
        self.subject = Self.name(bytes, subject)
    }

    /// The common name (2.5.4.3) and organisation (2.5.4.10) of a `Name`.
    private static func name(_ bytes: [UInt8], _ element: DER.Element) -> Name {
        var name = Name(der: bytes[element.content])
        var at = element.content.lowerBound
        while at < element.content.upperBound, let set = DER.element(bytes, at: at) {
            at = set.end
            guard set.tag == 0x31, let pair = DER.element(bytes, at: set.content.lowerBound), pair.tag == 0x30,
                let type = DER.element(bytes, at: pair.content.lowerBound), type.tag == 0x06,
                let value = DER.element(bytes, at: type.end), value.end <= pair.end
            else { continue }
            let oid = Array(bytes[type.content])
            guard let text = DER.text(bytes, value) else { continue }
            if oid == [0x55, 0x04, 0x03], name.commonName == nil { name.commonName = text }
            if oid == [0x55, 0x04, 0x0A], name.organization == nil { name.organization = text }
        }
        return name
    }
}

/// Just enough of DER to walk a certificate's names: tag, definite length, content.
enum DER {
    struct Element: Sendable, Hashable {
        var tag: UInt8
        var content: Range<Int>
        var end: Int { content.upperBound }
    }

    /// The element at `offset`, or nil when its header or length does not fit in `bytes`.
    static func element(_ bytes: [UInt8], at offset: Int) -> Element? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        var start = offset + 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...4).contains(count), start + count <= bytes.count else { return nil }
            length = 0
            for byte in bytes[start..<start + count] { length = length << 8 | Int(byte) }
            start += count
        }
        guard length <= bytes.count - start else { return nil }
        return Element(tag: tag, content: start..<start + length)
    }

    /// A string value (UTF8String, PrintableString, IA5String, T61String, BMPString) as safe text.
    static func text(_ bytes: [UInt8], _ element: Element) -> String? {
        let content = bytes[element.content]
        let text: String
        switch element.tag {
        case 0x0C, 0x13, 0x16, 0x14: text = String(decoding: content, as: UTF8.self)
        case 0x1E:
            let units = stride(from: content.startIndex, to: content.endIndex - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            text = String(decoding: units, as: UTF16.self)
        default: return nil
        }
        let safe = String(text.withoutControlCharacters.prefix(80))
        return safe.isEmpty ? nil : safe
    }
}
