using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace RestorationWorkflow.Web.Features.Reminders.Notifications;

/// <summary>
/// The personal calendar feed's secret: 32 random bytes, base64url (43 characters, no padding). Only its SHA-256
/// (lower-case hex) is stored, in <c>AppUser.CalendarTokenHash</c> (a unique index): the feed finds its user by that
/// hash, so the token is never compared character by character and never read back.
/// </summary>
public static class CalendarTokens
{
    /// <summary>The number of random bytes.</summary>
    public const int Bytes = 32;

    /// <summary>The length of a token as text.</summary>
    public const int Length = 43;

    /// <summary>The feed's path for a token (site-relative); calendar clients subscribe to it without signing in.</summary>
    public static string FeedPath(string token) => "/api/calendar/" + token + ".ics";

    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>Exactly <see cref="Length"/> characters of the base64url alphabet; anything else cannot be a token.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    public static string Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));
    }
}
