using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace RestorationWorkflow.Web.Infrastructure;

/// <summary>
/// <c>ReverseProxy</c>: which proxies may tell the app the client's address and scheme (<c>X-Forwarded-For</c>,
/// <c>X-Forwarded-Proto</c>), read and checked once at start-up (a bad value stops start-up with one line naming the
/// key; decision 0042). Without <c>KnownProxies</c> and <c>KnownNetworks</c> only a proxy on the same machine
/// (loopback) is trusted, ASP.NET Core's default; with either, exactly the ones listed are.
/// </summary>
public sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary><c>ReverseProxy:KnownProxies</c>: addresses of trusted proxies (a list, or one value separated by commas).</summary>
    public IReadOnlyList<IPAddress> KnownProxies { get; init; } = [];

    /// <summary><c>ReverseProxy:KnownNetworks</c>: networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public IReadOnlyList<IPNetwork> KnownNetworks { get; init; } = [];

    /// <summary>
    /// <c>ReverseProxy:ForwardLimit</c>: how many proxies in a row are unwound from the end of <c>X-Forwarded-For</c>
    /// (default 1: one proxy; 2 for a load balancer in front of nginx). Each must be trusted.
    /// </summary>
    public int ForwardLimit { get; init; } = 1;

    /// <summary>Whether the trusted proxies are configured (rather than ASP.NET Core's loopback default).</summary>
    public bool Configured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>The settings, checked.</summary>
    /// <exception cref="StartupException">A value is not an address, a network, or a number in range (one line naming the key).</exception>
    public static ReverseProxyOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        return new ReverseProxyOptions
        {
            KnownProxies = [.. Values(section, "KnownProxies").Select(v => AddressOf(v.Text)
                ?? throw Bad(v.Key, v.Text, "an IP address, e.g. 10.0.0.5 or fd00::5"))],
            KnownNetworks = [.. Values(section, "KnownNetworks").Select(v => NetworkOf(v.Text)
                ?? throw Bad(v.Key, v.Text, "a network in CIDR notation with no host bits set, e.g. 10.0.0.0/24 or fd00::/64"))],
            ForwardLimit = Limit(section),
        };
    }

    /// <summary>Puts these settings on ASP.NET Core's forwarded-headers options.</summary>
    public void ApplyTo(ForwardedHeadersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = ForwardLimit;
        if (!Configured)
            return;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies)
            options.KnownProxies.Add(proxy);
        foreach (var network in KnownNetworks)
            options.KnownIPNetworks.Add(network);
    }

    /// <summary>The values of a list setting: its children (<c>KnownProxies:0</c>, …) or one value split at commas.</summary>
    private static IEnumerable<(string Key, string Text)> Values(IConfigurationSection section, string key)
    {
        var setting = section.GetSection(key);
        var children = setting.GetChildren().Where(c => c.Value is not null).ToList();
        if (children.Count > 0)
        {
            foreach (var child in children)
                yield return (child.Path, child.Value!.Trim());
            yield break;
        }
        if (string.IsNullOrWhiteSpace(setting.Value))
            yield break;
        foreach (var part in setting.Value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            yield return (setting.Path, part);
    }

    /// <summary>
    /// A full IPv4 address in dotted-quad form (not the shorthand <c>10.1</c> that <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
    /// also reads) or an IPv6 address; otherwise null.
    /// </summary>
    private static IPAddress? AddressOf(string text)
    {
        if (!IPAddress.TryParse(text, out var address))
            return null;
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || address.ToString() == text ? address : null;
    }

    /// <summary>A network in CIDR notation whose address has no bits set past the prefix (<c>10.0.0.1/24</c> is a typo, not a network); otherwise null.</summary>
    private static IPNetwork? NetworkOf(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPNetwork.TryParse(text, out var network) || AddressOf(text[..slash]) is not { } address)
            return null;
        return network.BaseAddress.Equals(address) ? network : null;
    }

    private static int Limit(IConfigurationSection section)
    {
        var text = section["ForwardLimit"];
        if (string.IsNullOrWhiteSpace(text))
            return new ReverseProxyOptions().ForwardLimit;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 10
            ? value
            : throw Bad($"{section.Path}:ForwardLimit", text, "a whole number from 1 to 10");
    }

    private static StartupException Bad(string key, string value, string expected) =>
        new($"{key} '{TextRules.Quote(value)}' is not valid; use {expected}.");
}
