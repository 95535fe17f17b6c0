using System.Globalization;

namespace Flattr.Hub.Accounts;

/// <summary>Money as people type it in forms: major units with the currency's decimals and no code (<c>5.00</c>).</summary>
public static class BudgetText
{
    public static string Format(long minorUnits, Currency currency)
    {
        var scale = 1L;
        for (var i = 0; i < currency.MinorDigits; i++)
        {
            scale *= 10;
        }

        var sign = minorUnits < 0 ? "-" : string.Empty;
        var magnitude = Math.Abs(minorUnits);
        return currency.MinorDigits == 0
            ? sign + magnitude.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude / scale}.{(magnitude % scale).ToString(new string('0', currency.MinorDigits), CultureInfo.InvariantCulture)}");
    }

    public static string Format(Money money) => Format(money.MinorUnits, money.Currency);
}
