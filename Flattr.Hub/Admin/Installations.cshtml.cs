using System.ComponentModel.DataAnnotations;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>
/// The CMS sites that talk to this Hub. Adding one or rotating its secret answers the POST with the secret itself, once:
/// it is never stored in plain text, so no later page can show it again.
/// </summary>
public sealed class InstallationsModel(IMediator mediator, HubDbContext db, TimeProvider time, ILogger<InstallationsModel> logger)
    : AdminPageModel(db, time, logger)
{
    [BindProperty]
    public NewInstallationInput Input { get; set; } = new();

    public IReadOnlyList<Installation> Installations { get; private set; } = [];

    public IReadOnlyDictionary<string, int> ThingCounts { get; private set; } = new Dictionary<string, int>();

    /// <summary>The installation just added or re-keyed, with its secret; set only in the response to that POST.</summary>
    public InstallationWithSecret? Issued { get; private set; }

    public bool IssuedIsNew { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            try
            {
                Issued = await mediator.Send(new RegisterInstallation(Input.Name, Input.Url, Actor), cancellationToken);
                IssuedIsNew = true;
                Log.AdminAction(Logger, Actor, "installation.add", Issued.Installation.Id);
                Input = new NewInstallationInput();
                ModelState.Clear();
            }
            catch (HubValidationException e)
            {
                foreach (var (field, messages) in e.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(field switch { "name" => "Input.Name", "url" => "Input.Url", _ => string.Empty }, message);
                    }
                }
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRotateAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            Issued = await mediator.Send(new RotateInstallationSecret(id, Actor), cancellationToken);
            Log.AdminAction(Logger, Actor, "installation.rotate-secret", id);
        }
        catch (HubValidationException e)
        {
            Refuse("installation.rotate-secret", id, e.Message);
        }

        ModelState.Clear();
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSetDisabledAsync(string id, bool disabled, CancellationToken cancellationToken)
    {
        try
        {
            var installation = await mediator.Send(new SetInstallationDisabled(id, disabled, Actor), cancellationToken);
            Log.AdminAction(Logger, Actor, disabled ? "installation.disable" : "installation.enable", id);
            Status = disabled
                ? $"{installation.Name} is disabled: its requests and buttons are refused."
                : $"{installation.Name} is enabled again.";
        }
        catch (HubValidationException e)
        {
            Refuse(disabled ? "installation.disable" : "installation.enable", id, e.Message);
        }

        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Installations = await Db.Installations.AsNoTracking().OrderBy(i => i.Name).ThenBy(i => i.Id).ToListAsync(cancellationToken);
        ThingCounts = await Db.Things.GroupBy(t => t.InstallationId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }
}

public sealed class NewInstallationInput
{
    [Required]
    [StringLength(200)]
    [Display(Name = "Site name")]
    public string Name { get; set; } = string.Empty;

    [Required]
    [StringLength(2048)]
    [Display(Name = "Site address")]
    public string Url { get; set; } = string.Empty;
}
