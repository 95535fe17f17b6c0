using Flattr.Hub.Admin;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Installations;

/// <summary>Register a CMS site. The secret is returned once and never again.</summary>
public sealed record RegisterInstallation(string Name, string Url, string Actor) : ICommand<InstallationWithSecret>;

/// <summary>Issue a new secret; the old one stops working at once.</summary>
public sealed record RotateInstallationSecret(string InstallationId, string Actor) : ICommand<InstallationWithSecret>;

/// <summary>Disable or re-enable an installation.</summary>
public sealed record SetInstallationDisabled(string InstallationId, bool Disabled, string Actor) : ICommand<Installation>;

/// <summary>An installation and its secret in plain text, for the one moment it is shown to an admin.</summary>
public sealed record InstallationWithSecret(Installation Installation, string Secret);

public sealed class InstallationCommandHandlers(HubDbContext db, InstallationSecrets secrets, TimeProvider time) :
    ICommandHandler<RegisterInstallation, InstallationWithSecret>,
    ICommandHandler<RotateInstallationSecret, InstallationWithSecret>,
    ICommandHandler<SetInstallationDisabled, Installation>
{
    public async ValueTask<InstallationWithSecret> Handle(RegisterInstallation command, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = command.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > 200)
        {
            errors["name"] = ["The name is required and must be at most 200 characters."];
        }

        if (!Uri.TryCreate(command.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || command.Url.Length > 2048)
        {
            errors["url"] = ["The URL must be the site's absolute http or https address."];
        }

        if (errors.Count > 0)
        {
            throw new HubValidationException(errors);
        }

        var now = time.GetUtcNow();
        var secret = InstallationSecrets.NewSecret();
        var installation = new Installation
        {
            Id = InstallationSecrets.NewInstallationId(),
            Name = name,
            BaseUrl = url!.AbsoluteUri,
            ProtectedSecret = secrets.Protect(secret),
            CreatedAt = now,
            SecretRotatedAt = now,
        };
        db.Installations.Add(installation);
        db.AuditEntries.Add(new AuditEntry { Actor = command.Actor, Action = "installation.add", Subject = installation.Id, Details = $"{name} {installation.BaseUrl}", At = now });
        await db.SaveChangesAsync(cancellationToken);
        return new InstallationWithSecret(installation, secret);
    }

    public async ValueTask<InstallationWithSecret> Handle(RotateInstallationSecret command, CancellationToken cancellationToken)
    {
        var installation = await FindAsync(command.InstallationId, cancellationToken);
        var now = time.GetUtcNow();
        var secret = InstallationSecrets.NewSecret();
        installation.ProtectedSecret = secrets.Protect(secret);
        installation.SecretRotatedAt = now;
        db.AuditEntries.Add(new AuditEntry { Actor = command.Actor, Action = "installation.rotate-secret", Subject = installation.Id, At = now });
        await db.SaveChangesAsync(cancellationToken);
        return new InstallationWithSecret(installation, secret);
    }

    public async ValueTask<Installation> Handle(SetInstallationDisabled command, CancellationToken cancellationToken)
    {
        var installation = await FindAsync(command.InstallationId, cancellationToken);
        var now = time.GetUtcNow();
        installation.DisabledAt = command.Disabled ? installation.DisabledAt ?? now : null;
        db.AuditEntries.Add(new AuditEntry
        {
            Actor = command.Actor, Action = command.Disabled ? "installation.disable" : "installation.enable", Subject = installation.Id, At = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return installation;
    }

    private async Task<Installation> FindAsync(string id, CancellationToken cancellationToken) =>
        await db.Installations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken)
        ?? throw new HubValidationException("installation", $"There is no installation '{id}'.");
}
