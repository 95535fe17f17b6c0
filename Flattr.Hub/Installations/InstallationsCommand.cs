using System.CommandLine;
using System.Text.Json;
using Flattr.Hub.Cli;
using Flattr.Hub.Infrastructure.Database;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Installations;

/// <summary><c>installations add|rotate-secret|disable|enable|list</c>: manage the CMS sites that talk to this Hub.</summary>
internal static class InstallationsCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "A name for the site, shown to admins and readers.", Required = true };
        var url = new Option<string>("--url") { Description = "The site's base URL.", Required = true };
        var add = new Command("add", "Register a site; prints its id and secret as JSON. The secret is shown only once.") { name, url };
        add.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            var registered = await services.GetRequiredService<IMediator>().Send(new RegisterInstallation(parse.GetValue(name)!, parse.GetValue(url)!, "cli"), ct);
            await WriteAsync(output, registered);
            return ExitCodes.Success;
        }, ct));

        var rotateId = new Argument<string>("id") { Description = "The installation id." };
        var rotate = new Command("rotate-secret", "Issue a new secret (the old one stops working at once); prints it as JSON.") { rotateId };
        rotate.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            var rotated = await services.GetRequiredService<IMediator>().Send(new RotateInstallationSecret(parse.GetValue(rotateId)!, "cli"), ct);
            await WriteAsync(output, rotated);
            return ExitCodes.Success;
        }, ct));

        var command = new Command("installations", "The CMS sites that talk to this Hub.") { add, rotate, Toggle("disable", true), Toggle("enable", false) };
        var list = new Command("list", "List installations as JSON lines (no secrets).");
        list.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            var db = services.GetRequiredService<HubDbContext>();
            foreach (var i in await db.Installations.AsNoTracking().OrderBy(i => i.Name).ToListAsync(ct))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["id"] = i.Id, ["name"] = i.Name, ["url"] = i.BaseUrl, ["disabled"] = i.DisabledAt is not null,
                }));
            }

            return ExitCodes.Success;
        }, ct));
        command.Add(list);
        return command;
    }

    private static Command Toggle(string verb, bool disabled)
    {
        var id = new Argument<string>("id") { Description = "The installation id." };
        var command = new Command(verb, disabled ? "Refuse the site's requests and buttons." : "Accept the site's requests again.") { id };
        command.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            await services.GetRequiredService<IMediator>().Send(new SetInstallationDisabled(parse.GetValue(id)!, disabled, "cli"), ct);
            await output.WriteLineAsync($"{{\"id\":{JsonSerializer.Serialize(parse.GetValue(id))},\"disabled\":{(disabled ? "true" : "false")}}}");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Task WriteAsync(TextWriter output, InstallationWithSecret value) =>
        output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = value.Installation.Id,
            ["secret"] = value.Secret,
            ["name"] = value.Installation.Name,
            ["url"] = value.Installation.BaseUrl,
        }));
}
