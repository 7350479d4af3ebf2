import DeepSearch

/// Where the network configuration comes from, as curl, git and pip users expect:
///
/// - certificate authorities trusted besides the system's: `--ca-file`, else `EXTRUCT_CA_FILE`,
///   else the profile's `ca_file`; and `SSL_CERT_FILE` as well when it is set. `--ca-file` is
///   checked at start; the others when a TLS connection needs them, so a stale one never stops
///   `--demo` or plain http (and a stale `SSL_CERT_FILE` is only warned about);
/// - the proxy: `--proxy`, else the profile's `proxy`, else `https_proxy`/`HTTPS_PROXY`,
///   `http_proxy`/`HTTP_PROXY`, `all_proxy`/`ALL_PROXY`; `no_proxy`/`NO_PROXY` applies to all of
///   them, and a host on this machine is always reached directly.
public enum NetworkSettings {
    /// The configuration for these flags, the profile chosen, and the environment `value` reads.
    public static func resolve(
        caFile: String?, proxy: String?, profile: (name: String, profile: ConfigFile.Profile)?,
        environment value: (String) -> String? = Environment.value
    ) throws(NetworkConfigurationError) -> NetworkConfiguration {
        var files: [CertificateFile] = []
        if let caFile {
            files.append(CertificateFile(path: Environment.expandingTilde(caFile), origin: "--ca-file"))
        } else if let path = value("EXTRUCT_CA_FILE") {
            files.append(CertificateFile(path: Environment.expandingTilde(path), origin: "EXTRUCT_CA_FILE", ifUnusable: .errorWhenNeeded))
        } else if let profile, let path = profile.profile.caFile {
            files.append(CertificateFile(path: Environment.expandingTilde(path), origin: "profile \(profile.name)", ifUnusable: .errorWhenNeeded))
        }
        if let path = value("SSL_CERT_FILE"), !files.contains(where: { $0.path == path }) {
            files.append(CertificateFile(path: path, origin: "SSL_CERT_FILE", ifUnusable: .warning))
        }
        let explicit = proxy.map { ($0, "--proxy") } ?? profile.flatMap { chosen in chosen.profile.proxy.map { ($0, "profile \(chosen.name)") } }
        let proxies = try NetworkConfiguration.proxies(explicit: explicit, environment: value)
        let configuration = NetworkConfiguration(
            trustedCertificateFiles: files, httpsProxy: proxies.https, httpProxy: proxies.http, noProxy: proxies.noProxy)
        try configuration.validate()
        return configuration
    }
}
