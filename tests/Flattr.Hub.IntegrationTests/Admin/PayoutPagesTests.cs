using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Flattr.Hub.IntegrationTests.Funding;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Hub.IntegrationTests.Payouts;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts;
using Microsoft.EntityFrameworkCore;
using nietras.SeparatedValues;

namespace Flattr.Hub.IntegrationTests.Admin;

/// <summary>
/// The payout admin pages driven through their HTML forms by a browser without JavaScript, as an admin walks a month:
/// create, compute, review (lines, CSV), approve, execute, retry, mark paid. Each test has its own Hub, since a period
/// has one run.
/// </summary>
public abstract class PayoutPagesTests
{
    private static readonly DateTimeOffset EarlyNovember = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    protected abstract HubFixture NewHub(bool stripe);

    private async Task<(HubFixture Hub, PayoutWorld World)> StartAsync(bool stripe)
    {
        var hub = NewHub(stripe);
        await hub.InitializeAsync();
        return (hub, new PayoutWorld(hub, (hub as PayoutHubFixture)?.Stripe));
    }

    /// <summary>ann (two creators, connected) and bob (connected) are paid; cy is below the minimum; an unclaimed creator earns too.</summary>
    private static async Task ArrangeAsync(PayoutWorld w, bool stripe)
    {
        await w.PersonAsync("ann");
        await w.PersonAsync("bob");
        await w.PersonAsync("cy");
        await w.PersonAsync("r1", 2000);
        await w.PersonAsync("r2", 1000);
        await w.PersonAsync("r3", 3000);
        if (stripe)
        {
            await w.ConnectStripeAsync("ann");
            await w.ConnectStripeAsync("bob");
        }

        await w.FundAsync("r1", "50.00");
        await w.FundAsync("r2", "10.00");
        await w.FundAsync("r3", "30.00");
        await w.ThingAsync("ann-essay", "ann-writer", claimedBy: "ann");
        await w.ThingAsync("ann-photo", "ann-photographer", claimedBy: "ann");
        await w.ThingAsync("bob-podcast", "bob-host", claimedBy: "bob");
        await w.ThingAsync("cy-poem", "cy-poet", claimedBy: "cy");
        await w.ThingAsync("orphan-post", "nobody-yet");
        await w.ClickAsync("r1", "ann-essay", 1);
        await w.ClickAsync("r1", "bob-podcast", 2);
        await w.ClickAsync("r1", "orphan-post", 4);
        await w.ClickAsync("r2", "ann-photo", 5);
        await w.ClickAsync("r2", "cy-poem", 30);
        await w.ClickAsync("r3", "bob-podcast", 7);
        await w.ClickAsync("r3", "ann-essay", 8);
    }

    private static async Task<(HubPage Page, Guid RunId)> CreateRunAsync(HubBrowser admin)
    {
        var list = await admin.OpenAsync("/Admin/Payouts");
        Assert.Equal("2026-10", list.Get("#create-run input[name=Period]").GetAttribute("value"));
        var run = await admin.SubmitAndReadAsync(list, "#create-run");
        return (run, Guid.Parse(run.Address.Segments[^1]));
    }

    private static async Task<HubPage> ConfirmAsync(HubBrowser admin, HubPage run, string step)
    {
        var confirmation = await admin.OpenAsync(run.Get($"#start-{step}").GetAttribute("href")!.Insert(0, run.Address.AbsolutePath));
        Assert.NotNull(confirmation.Find($"#confirm-{step}"));
        return await admin.SubmitAndReadAsync(confirmation, $"#{step}");
    }

    private static int Count(HubPage page, PayoutLineState state) =>
        int.Parse(page.Get($"#progress tr[data-state={state}] td[data-count]").GetAttribute("data-count")!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task StripeRun_WalkedThroughTheForms_IsCompletedPaidOnceAuditedAndExportedAsCsv()
    {
        var (hub, w) = await StartAsync(stripe: true);
        await using var _ = hub;
        await ArrangeAsync(w, stripe: true);
        var stripe = ((PayoutHubFixture)hub).Stripe;
        stripe.SetAvailableBalance("eur", 1_000_000);
        hub.Time.SetUtcNow(EarlyNovember);
        using var admin = await HubBrowser.NewAdminAsync(hub);

        var (created, runId) = await CreateRunAsync(admin);
        var computed = await admin.SubmitAndReadAsync(created, "#compute");
        var approved = await ConfirmAsync(admin, computed, "approve");
        var confirmExecute = await admin.OpenAsync(approved.Get("#start-execute").GetAttribute("href")!.Insert(0, approved.Address.AbsolutePath));
        var executed = await admin.SubmitAndReadAsync(confirmExecute, "#execute");
        // A refresh that re-posts the execute form: refused, nothing paid twice.
        var again = await admin.SubmitAndReadAsync(confirmExecute, "#execute");
        var csv = await admin.GetAsync($"/Admin/PayoutsRun/{runId}?handler=Csv");

        Assert.Contains("Created the run for 2026-10", created.Get("#status").TextContent, StringComparison.Ordinal);
        Assert.Equal("Created", created.Get("[data-figure=state]").TextContent);
        Assert.Equal("Computed", computed.Get("[data-figure=state]").TextContent);
        Assert.Equal("Approved", approved.Get("[data-figure=state]").TextContent);
        Assert.Contains("Money sent cannot be called back", confirmExecute.Get("#confirm-execute").TextContent, StringComparison.Ordinal);
        Assert.Equal("Completed", executed.Get("[data-figure=state]").TextContent);
        Assert.Contains("2 sent, 0 failed, 1 held, 0 awaiting manual payment", executed.Get("#status").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, Count(executed, PayoutLineState.Sent));
        Assert.Equal(1, Count(executed, PayoutLineState.Held));
        Assert.Contains("only an approved run can be executed", again.Get("#error").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, stripe.Transfers.Count);

        // Every step is audited with the admin as the actor.
        var audit = await hub.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Subject == runId.ToString()).OrderBy(a => a.Id).Select(a => new { a.Actor, a.Action }).ToListAsync());
        Assert.Equal(["payout.create", "payout.compute", "payout.approve", "payout.execute"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(admin.AccountId, a.Actor));

        // The CSV parses and matches the lines, to the minor unit.
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = await hub.WithDbAsync(db => db.PayoutLines.AsNoTracking().Where(l => l.RunId == runId).OrderBy(l => l.Id).ToListAsync());
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(await csv.Content.ReadAsStringAsync());
        var rows = new List<(long Line, string Payee, long Amount, string State, string Reason, string Transfer)>();
        foreach (var row in reader)
        {
            rows.Add((row["line"].Parse<long>(), row["payee"].ToString(), row["amount_minor_units"].Parse<long>(), row["state"].ToString(),
                row["reason"].ToString(), row["stripe_transfer_id"].ToString()));
        }

        Assert.Equal(lines.Select(l => (l.Id, l.PayeeId, l.Amount, l.State.ToString(), l.Reason ?? string.Empty, l.StripeTransferId ?? string.Empty)), rows);
        Assert.Contains(rows, r => r.Reason.Contains("minimum payout", StringComparison.Ordinal));
        Assert.True((await hub.VerifyLedgerAsync()).Balanced);

        // The line page shows the line's history.
        var sent = lines.First(l => l.State == PayoutLineState.Sent);
        var linePage = await admin.OpenAsync($"/Admin/PayoutsLine/{sent.Id}");
        Assert.Equal(["Sending", "Sent"], linePage.Document.QuerySelectorAll("#history tbody tr").Select(r => r.GetAttribute("data-state")));
        Assert.Contains(sent.StripeTransferId!, linePage.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveConfirmation_ExplainsWhatIsBookedAndAnUnconfirmedPostIsRefused()
    {
        var (hub, w) = await StartAsync(stripe: false);
        await using var _ = hub;
        await ArrangeAsync(w, stripe: false);
        hub.Time.SetUtcNow(EarlyNovember);
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var (created, runId) = await CreateRunAsync(admin);
        var computed = await admin.SubmitAndReadAsync(created, "#compute");

        var confirmation = await admin.OpenAsync($"/Admin/PayoutsRun/{runId}?confirm=approve");
        var token = confirmation.Get("#approve input[name=__RequestVerificationToken]").GetAttribute("value")!;
        using var unconfirmed = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        var refused = await HubBrowser.ReadAsync(await admin.FollowAsync(
            await admin.Http.PostAsync(new Uri(hub.BaseAddress, $"Admin/PayoutsRun/{runId}?handler=Approve"), unconfirmed)));

        Assert.Null(computed.Find("#approve"));
        Assert.Contains("This cannot be undone", confirmation.Get("#confirm-approve").TextContent, StringComparison.Ordinal);
        Assert.Contains("EUR 60.00 leaves the funds of 3 readers", Regex.Replace(confirmation.Get("#confirm-approve").TextContent, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("Confirm the approve step", refused.Get("#error").TextContent, StringComparison.Ordinal);
        Assert.Equal("Computed", refused.Get("[data-figure=state]").TextContent);
        Assert.Equal(0, await hub.WithDbAsync(db => db.LedgerTransactions.CountAsync(t => t.Kind == "payout.commit")));
    }

    [Fact]
    public async Task ManualRun_ExecutedAndEveryLineMarkedPaid_IsCompletedWithABalancedLedger()
    {
        var (hub, w) = await StartAsync(stripe: false);
        await using var _ = hub;
        await ArrangeAsync(w, stripe: false);
        hub.Time.SetUtcNow(EarlyNovember);
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var (created, runId) = await CreateRunAsync(admin);
        var computed = await admin.SubmitAndReadAsync(created, "#compute");
        var approved = await ConfirmAsync(admin, computed, "approve");

        var executed = await ConfirmAsync(admin, approved, "execute");
        var page = executed;
        var paid = 0;
        while (page.Find("form.mark-paid") is not null)
        {
            page = await admin.SubmitAndReadAsync(page, "form.mark-paid", new Dictionary<string, string> { ["reference"] = $"SEPA-{++paid}" });
        }

        Assert.Equal("Manual", executed.Get("[data-figure=mode]").TextContent);
        Assert.Contains("Payout file:", executed.Get("#status").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, Count(executed, PayoutLineState.AwaitingManual));
        Assert.Equal(2, paid);
        Assert.Equal("Completed", page.Get("[data-figure=state]").TextContent);
        Assert.Equal(2, Count(page, PayoutLineState.PaidManually));
        var report = await hub.VerifyLedgerAsync();
        Assert.True(report.Balanced, string.Join(" ", report.Problems));
        var manual = -await hub.WithScopeAsync<long, LedgerService>(l => l.RawBalanceAsync(LedgerAccounts.ManualPayouts, default));
        Assert.Equal(await hub.WithDbAsync(db => db.PayoutLines.Where(l => l.RunId == runId && l.State == PayoutLineState.PaidManually).SumAsync(l => l.Amount)), manual);
        var marks = await hub.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action == "payout.mark-paid").ToListAsync());
        Assert.Equal(2, marks.Count);
        Assert.All(marks, m => Assert.Equal(admin.AccountId, m.Actor));
        Assert.Contains(marks, m => m.Details == "SEPA-1");
    }

    [Fact]
    public async Task FailedLine_RetriedThroughTheForm_IsPaidOnTheNextExecution()
    {
        var (hub, w) = await StartAsync(stripe: true);
        await using var _ = hub;
        await ArrangeAsync(w, stripe: true);
        var stripe = ((PayoutHubFixture)hub).Stripe;
        stripe.SetAvailableBalance("eur", 1000); // not enough for either payee
        hub.Time.SetUtcNow(EarlyNovember);
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var (created, runId) = await CreateRunAsync(admin);
        var approved = await ConfirmAsync(admin, await admin.SubmitAndReadAsync(created, "#compute"), "approve");
        var executed = await ConfirmAsync(admin, approved, "execute");

        stripe.SetAvailableBalance("eur", 1_000_000);
        var retried = executed;
        while (retried.Find("form.retry") is not null)
        {
            retried = await admin.SubmitAndReadAsync(retried, "form.retry");
        }

        var resumed = await ConfirmAsync(admin, retried, "execute");

        Assert.Contains("0 sent, 2 failed", executed.Get("#status").TextContent, StringComparison.Ordinal);
        Assert.Contains("insufficient available funds", executed.Get("#lines").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, Count(retried, PayoutLineState.Pending));
        Assert.Equal("Completed", resumed.Get("[data-figure=state]").TextContent);
        Assert.Equal(2, Count(resumed, PayoutLineState.Sent));
        Assert.Equal(2, stripe.Transfers.Count);
        Assert.Equal(2, await hub.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "payout.retry-line" && a.Actor == admin.AccountId)));
        Assert.True((await hub.VerifyLedgerAsync()).Balanced);
    }

    [Fact]
    public async Task FundsPage_CreditThroughTheForm_BooksAndAuditsItAndListsUnclaimedAndHeldMoney()
    {
        var (hub, w) = await StartAsync(stripe: false);
        await using var _ = hub;
        await ArrangeAsync(w, stripe: false);
        hub.Time.SetUtcNow(EarlyNovember); // before signing in: the sign-in cookie lasts 14 days on the Hub's clock
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var reader = await w.PersonAsync("late-payer", 500);
        var email = await hub.WithDbAsync(db => db.Users.Where(u => u.Id == reader).Select(u => u.Email).SingleAsync());
        var page = await admin.OpenAsync("/Admin/Funds");

        var credited = await admin.SubmitAndReadAsync(page, "#credit-funds", new Dictionary<string, string>
        {
            ["Input.Reader"] = email!, ["Input.Amount"] = "12.34", ["Input.Reason"] = "IBAN transfer 2026-10-14",
        });
        var invalid = await admin.SubmitAndReadAsync(page, "#credit-funds", new Dictionary<string, string>
        {
            ["Input.Reader"] = "nobody@example.org", ["Input.Amount"] = "-1", ["Input.Reason"] = "x",
        });
        var (created, _) = await CreateRunAsync(admin);
        await ConfirmAsync(admin, await admin.SubmitAndReadAsync(created, "#compute"), "approve");
        var after = await admin.OpenAsync("/Admin/Funds");

        Assert.Contains("Credited EUR 12.34", credited.Get("#status").TextContent, StringComparison.Ordinal);
        Assert.Equal(1234, await hub.FundsAsync(reader));
        var row = credited.Get($"#recent-funding tr[data-reader='{reader}']");
        Assert.Contains("IBAN transfer 2026-10-14", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(admin.AccountId, row.TextContent, StringComparison.Ordinal);
        var audit = await hub.WithDbAsync(db => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "funds.credit" && a.Subject == reader));
        Assert.Equal(admin.AccountId, audit.Actor);
        Assert.Contains("no account 'nobody@example.org'", invalid.Get("[data-valmsg-for='Input.Reader']").TextContent, StringComparison.Ordinal);
        Assert.Contains("positive amount", invalid.Get("[data-valmsg-for='Input.Amount']").TextContent, StringComparison.Ordinal);
        // r1 gave 600 to the unclaimed orphan; cy's 450 is held below the minimum payout.
        Assert.Equal("600", after.Get("#unclaimed td[data-amount]").GetAttribute("data-amount"));
        Assert.Contains("minimum payout", after.Get("#held-lines").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PayoutPages_Reader_IsDeniedAndAnonymousIsSentToSignIn()
    {
        var (hub, w) = await StartAsync(stripe: false);
        await using var _ = hub;
        await ArrangeAsync(w, stripe: false);
        hub.Time.SetUtcNow(EarlyNovember);
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        var (reader, _) = await hub.SignedInAsync(500);
        using var __ = reader;
        using var anonymous = new HubBrowser(hub);

        foreach (var path in new[] { "/Admin/Payouts", $"/Admin/PayoutsRun/{run.Id}", $"/Admin/PayoutsRun/{run.Id}?handler=Csv", "/Admin/Funds" })
        {
            var denied = await reader.GetAsync(path);
            var signIn = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
            Assert.Equal("/Accounts/AccessDenied", denied.Headers.Location?.AbsolutePath);
            Assert.Equal("/Accounts/SignIn", signIn.Headers.Location?.AbsolutePath);
        }

        // Even with a valid antiforgery token of their own, a reader cannot post a step.
        var page = await reader.OpenAsync("/Funding");
        var token = page.Get("input[name=__RequestVerificationToken]").GetAttribute("value")!;
        using var form = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
        var posted = await reader.Http.PostAsync(new Uri(hub.BaseAddress, $"Admin/PayoutsRun/{run.Id}?handler=Compute"), form);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal("/Accounts/AccessDenied", posted.Headers.Location?.AbsolutePath);
        Assert.Equal(PayoutRunState.Created, await hub.WithDbAsync(db => db.PayoutRuns.Where(r => r.Id == run.Id).Select(r => r.State).SingleAsync()));
    }

    [Fact]
    public async Task PayoutForms_PostWithoutAntiforgeryToken_Are400AndChangeNothing()
    {
        var (hub, w) = await StartAsync(stripe: false);
        await using var _ = hub;
        await ArrangeAsync(w, stripe: false);
        hub.Time.SetUtcNow(EarlyNovember);
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var (run, _) = await w.ServiceAsync<(PayoutRun, bool), PayoutRunService>(s => s.CreateAsync(PayoutWorld.October, "test", default));
        var audit = await hub.WithDbAsync(db => db.AuditEntries.CountAsync());

        using var create = new FormUrlEncodedContent([new("Period", "2026-09")]);
        var created = await admin.Http.PostAsync(new Uri(hub.BaseAddress, "Admin/Payouts?handler=Create"), create);
        using var compute = new FormUrlEncodedContent([]);
        var computed = await admin.Http.PostAsync(new Uri(hub.BaseAddress, $"Admin/PayoutsRun/{run.Id}?handler=Compute"), compute);
        using var credit = new FormUrlEncodedContent([new("Input.Reader", w.People["r1"]), new("Input.Amount", "5.00"), new("Input.Reason", "forged")]);
        var credited = await admin.Http.PostAsync(new Uri(hub.BaseAddress, "Admin/Funds?handler=Credit"), credit);

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, computed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, credited.StatusCode);
        Assert.Equal(1, await hub.WithDbAsync(db => db.PayoutRuns.CountAsync()));
        Assert.Equal(PayoutRunState.Created, await hub.WithDbAsync(db => db.PayoutRuns.Select(r => r.State).SingleAsync()));
        Assert.Equal(audit, await hub.WithDbAsync(db => db.AuditEntries.CountAsync()));
        Assert.Equal(5000, await hub.FundsAsync(w.People["r1"]));
    }
}

public sealed class PayoutPagesSqliteTests : PayoutPagesTests
{
    protected override HubFixture NewHub(bool stripe) => stripe ? new SqlitePayoutHubFixture() : new SqliteHubFixture();
}

public sealed class PayoutPagesPostgresTests : PayoutPagesTests
{
    protected override HubFixture NewHub(bool stripe) => stripe ? new PostgresPayoutHubFixture() : new PostgresHubFixture();
}
