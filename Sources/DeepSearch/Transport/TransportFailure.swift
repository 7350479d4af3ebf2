/// The user's words for what can go wrong on the wire, shared by every transport so the same
/// failure reads the same whichever one carried the request.
enum TransportFailure {
    static func refused(_ request: HTTPRequest) -> DeepSearchError {
        DeepSearchError(
            .transport, "cannot reach \(request.baseURL): connection refused", advice: "is the API URL right? (--api-url or EXTRUCT_API_URL)")
    }

    static func connectTimedOut(_ request: HTTPRequest) -> DeepSearchError {
        DeepSearchError(.transport, "cannot reach \(request.baseURL): the connection timed out", advice: "check the API URL and your network")
    }

    static func unresolvable(_ request: HTTPRequest) -> DeepSearchError {
        DeepSearchError(
            .transport, "cannot reach \(request.baseURL): the host name does not resolve", advice: "check the API URL (--api-url or EXTRUCT_API_URL)")
    }

    static func invalidURL(_ request: HTTPRequest) -> DeepSearchError {
        DeepSearchError(
            .transport, "the API URL \(request.baseURL) is not valid",
            advice: "give a URL such as https://api.extruct.ai with --api-url or EXTRUCT_API_URL")
    }

    static func reset(_ request: HTTPRequest) -> DeepSearchError {
        DeepSearchError(.transport, "the connection to \(request.baseURL) was reset during \(place(request))")
    }

    static func closedEarly(_ request: HTTPRequest) -> DeepSearchError {
        DeepSearchError(.transport, "the connection to \(request.baseURL) closed before the answer to \(place(request)) was complete")
    }

    static func timeout(_ request: HTTPRequest, _ timeout: Duration) -> DeepSearchError {
        let longer = timeout < .seconds(60) ? 60 : min(600, Int(timeout.components.seconds) * 2)
        let wait = timeout < .seconds(600) ? "; to wait longer: set timeout \(longer), or --timeout \(longer) at start" : ""
        return DeepSearchError(.timeout, "no answer to \(place(request)) within \(seconds(timeout))", advice: "check the network or the proxy\(wait)")
    }

    static func tooLarge(_ request: HTTPRequest, limit: Int, status: Int) -> DeepSearchError {
        DeepSearchError(
            .responseTooLarge, "the answer to \(place(request)) is larger than \(limit >> 20) MiB; it was not read",
            advice: "ask for less (a smaller --limit) or report it", status: status)
    }

    static func other(_ request: HTTPRequest, _ what: String) -> DeepSearchError {
        DeepSearchError(.transport, "\(place(request)) failed: \(what.withoutControlCharacters)")
    }

    static func place(_ request: HTTPRequest) -> String { "\(request.method) \(request.url)" }

    static func seconds(_ duration: Duration) -> String {
        let s = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return s == s.rounded() ? "\(Int(s)) s" : "\(s) s"
    }
}
