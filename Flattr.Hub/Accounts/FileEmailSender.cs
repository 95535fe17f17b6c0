using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Accounts;

/// <summary>
/// The Hub's built-in mail sender, for development and small installations: every message becomes an RFC 5322
/// <c>.eml</c> file in <c>{Hub:DataDirectory}/mail</c> (or <c>Hub:Mail:Folder</c>), which any mail client opens. A host
/// that delivers real mail registers its own <see cref="IEmailSender{TUser}"/>; this one is only added when none is.
/// Links arrive as plain URLs (not HTML-encoded) and are written as plain text.
/// </summary>
internal sealed class FileEmailSender(
    IConfiguration configuration,
    IHostEnvironment environment,
    IOptions<MailOptions> mail,
    IOptions<HubOptions> hub,
    TimeProvider time,
    ILogger<FileEmailSender> logger) : IEmailSender<HubUser>
{
    public string Folder
    {
        get
        {
            var configured = mail.Value.Folder;
            return string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(HubPaths.DataDirectory(configuration, environment.ContentRootPath), "mail")
                : Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured));
        }
    }

    public Task SendConfirmationLinkAsync(HubUser user, string email, string confirmationLink) =>
        WriteAsync(user, email, "confirm", "Confirm your Flattr Hub email address",
            $"Please confirm your email address by opening this link:\r\n\r\n{confirmationLink}\r\n");

    public Task SendPasswordResetLinkAsync(HubUser user, string email, string resetLink) =>
        WriteAsync(user, email, "reset", "Set your Flattr Hub password",
            "Someone (we hope you) asked to set or reset the password of your Flattr Hub account. Open this link to choose a "
            + $"password:\r\n\r\n{resetLink}\r\n\r\nThe link works once. If you did not ask for it, ignore this mail; your "
            + "password stays as it is.\r\n");

    public Task SendPasswordResetCodeAsync(HubUser user, string email, string resetCode) =>
        WriteAsync(user, email, "reset-code", "Your Flattr Hub password reset code",
            $"Your password reset code is:\r\n\r\n{resetCode}\r\n\r\nIf you did not ask for it, ignore this mail.\r\n");

    private async Task WriteAsync(HubUser user, string to, string kind, string subject, string body)
    {
        var now = time.GetUtcNow();
        var host = hub.Value.PublicUrl.Host;
        var from = string.IsNullOrWhiteSpace(mail.Value.From) ? $"Flattr Hub <no-reply@{host}>" : mail.Value.From;
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var greeting = string.IsNullOrWhiteSpace(user.DisplayName) ? "Hello," : $"Hello {OneLine(user.DisplayName)},";
        var text = new StringBuilder()
            .Append("From: ").Append(OneLine(from)).Append("\r\n")
            .Append("To: ").Append(OneLine(to)).Append("\r\n")
            .Append("Subject: ").Append(subject).Append("\r\n")
            .Append("Date: ").Append(now.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(id).Append('@').Append(host).Append(">\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n")
            .Append("\r\n")
            .Append(greeting).Append("\r\n\r\n")
            .Append(body)
            .ToString();

        var folder = Folder;
        Directory.CreateDirectory(folder);
        var name = string.Create(CultureInfo.InvariantCulture, $"{now:yyyyMMdd'T'HHmmss'Z'}-{kind}-{id}.eml");
        var path = Path.Combine(folder, name);
        // Written beside and then moved into place, so whoever watches the folder never reads half a message.
        var partial = path + ".partial";
        await File.WriteAllTextAsync(partial, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(partial, path);
        Log.MailWritten(logger, subject, path);
    }

    // Header values come from people (an address, a display name): a line break would start a header of their choosing.
    private static string OneLine(string value) => value.ReplaceLineEndings(" ").Replace('\t', ' ');
}
