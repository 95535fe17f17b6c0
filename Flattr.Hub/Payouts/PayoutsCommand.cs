using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flattr.Hub.Cli;
using Flattr.Hub.Funding;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Ledger;
using Flattr.Hub.Payouts.Simulation;

namespace Flattr.Hub.Payouts;

/// <summary><c>payouts create|compute|approve|execute|retry-line|mark-paid|simulate</c>, <c>ledger verify</c>, <c>funds credit</c>.</summary>
internal static class PayoutsCommand
{
    public static Command Create()
    {
        var command = new Command("payouts", "The monthly payout run: create, compute, approve, execute; and simulate from files.")
        {
            SimulateCommand.Create(),
        };

        var period = new Option<string>("--period") { Description = "The month, as yyyy-MM.", Required = true };
        var create = new Command("create", "Create the payout run of a month that has ended, freezing every reader's budget.") { period };
        create.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            if (!Period.TryParse(parse.GetValue(period), out var month))
            {
                throw new HubValidationException("period", $"--period: '{parse.GetValue(period)}' is not a month; use yyyy-MM.");
            }

            var (run, existing) = await services.GetRequiredService<PayoutRunService>().CreateAsync(month, "cli", ct);
            await WriteRunAsync(output, run, new JsonObject { ["existing"] = existing });
            return ExitCodes.Success;
        }, ct));
        command.Add(create);

        command.Add(RunStep("compute", "Compute the whole plan of a run and save it (no money moves).", (s, id, ct) => s.GetRequiredService<PayoutRunService>().ComputeAsync(id, "cli", ct)));
        command.Add(RunStep("approve", "Approve a computed run: book the month's budgets in the ledger.", (s, id, ct) => s.GetRequiredService<PayoutRunService>().ApproveAsync(id, "cli", ct)));

        var executeId = new Argument<Guid>("run") { Description = "The run id." };
        var execute = new Command("execute", "Pay an approved run (or resume one that was interrupted).") { executeId };
        execute.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            var result = await services.GetRequiredService<PayoutExecutor>().ExecuteAsync(parse.GetValue(executeId), "cli", ct);
            await output.WriteLineAsync(new JsonObject
            {
                ["run"] = parse.GetValue(executeId).ToString(),
                ["state"] = result.State.ToString(),
                ["sent"] = result.Sent,
                ["failed"] = result.Failed,
                ["held"] = result.Held,
                ["awaitingManual"] = result.AwaitingManual,
                ["payoutFile"] = result.PayoutFile,
            }.ToJsonString());
            return ExitCodes.Success;
        }, ct));
        command.Add(execute);

        var lineId = new Argument<long>("line") { Description = "The payout line id." };
        var retry = new Command("retry-line", "Put a failed line back to pending; the next execute pays it.") { lineId };
        retry.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            await services.GetRequiredService<PayoutExecutor>().RetryLineAsync(parse.GetValue(lineId), "cli", ct);
            await output.WriteLineAsync(new JsonObject { ["line"] = parse.GetValue(lineId), ["state"] = "Pending" }.ToJsonString());
            return ExitCodes.Success;
        }, ct));
        command.Add(retry);

        var paidLine = new Argument<long>("line") { Description = "The payout line id." };
        var reference = new Option<string?>("--reference") { Description = "The bank transfer reference, for the audit log." };
        var markPaid = new Command("mark-paid", "Manual mode: record that a line in the payout file was paid.") { paidLine, reference };
        markPaid.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            await services.GetRequiredService<PayoutExecutor>().MarkPaidAsync(parse.GetValue(paidLine), "cli", parse.GetValue(reference), ct);
            await output.WriteLineAsync(new JsonObject { ["line"] = parse.GetValue(paidLine), ["state"] = "PaidManually" }.ToJsonString());
            return ExitCodes.Success;
        }, ct));
        command.Add(markPaid);
        return command;
    }

    public static Command Ledger()
    {
        var verify = new Command("verify", "Prove every transaction and the whole ledger balance; exit 1 when they do not.");
        verify.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            var report = await services.GetRequiredService<LedgerVerifier>().VerifyAsync(ct);
            await output.WriteLineAsync(new JsonObject
            {
                ["balanced"] = report.Balanced,
                ["transactions"] = report.Transactions,
                ["accounts"] = report.Accounts,
                ["total"] = report.TotalOfAllEntries,
                ["problems"] = new JsonArray([.. report.Problems.Select(p => (JsonNode)p)]),
                ["warnings"] = new JsonArray([.. report.Warnings.Select(p => (JsonNode)p)]),
            }.ToJsonString());
            return report.Balanced ? ExitCodes.Success : ExitCodes.Failure;
        }, ct));
        return new Command("ledger", "The double-entry ledger.") { verify };
    }

    public static Command Funds()
    {
        var reader = new Option<string>("--reader") { Description = "The reader's email or account id.", Required = true };
        var amount = new Option<string>("--amount") { Description = "The amount in major units, such as 5.00.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why: the bank transfer reference, the voucher code.", Required = true };
        var credit = new Command("credit", "Credit a reader's funds received outside Stripe.") { reader, amount, reason };
        credit.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            var booked = await services.GetRequiredService<FundingService>().CreditManuallyAsync(
                parse.GetValue(reader)!, parse.GetValue(amount)!, parse.GetValue(reason)!, "cli", ct);
            await output.WriteLineAsync(new JsonObject { ["transaction"] = booked.Reference }.ToJsonString());
            return ExitCodes.Success;
        }, ct));
        return new Command("funds", "Readers' funds.") { credit };
    }

    private static Command RunStep(string name, string description, Func<IServiceProvider, Guid, CancellationToken, Task<PayoutRun>> step)
    {
        var id = new Argument<Guid>("run") { Description = "The run id." };
        var command = new Command(name, description) { id };
        command.SetAction((parse, ct) => ConfigurationArguments.RunInHubAsync(parse, async (services, output) =>
        {
            await WriteRunAsync(output, await step(services, parse.GetValue(id), ct));
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static Task WriteRunAsync(TextWriter output, PayoutRun run, JsonObject? extra = null)
    {
        var json = new JsonObject
        {
            ["id"] = run.Id.ToString(),
            ["period"] = run.PeriodValue.ToString(),
            ["state"] = run.State.ToString(),
            ["mode"] = run.Mode.ToString(),
            ["currency"] = run.Currency,
            ["totalBudget"] = run.TotalBudget,
            ["fee"] = run.Fee,
            ["carriedOver"] = run.CarriedOver,
            ["distributed"] = run.Distributed,
            ["countedClicks"] = run.CountedClicks,
        };
        foreach (var (key, value) in extra ?? [])
        {
            json[key] = value?.DeepClone();
        }

        return output.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
