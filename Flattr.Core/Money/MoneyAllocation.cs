namespace Flattr;

/// <summary>Exact splitting of integer minor-unit amounts: the parts always sum to the whole.</summary>
public static class MoneyAllocation
{
    /// <summary>
    /// Splits <paramref name="total"/> into <c>destination.Length</c> equal parts; the <c>total mod n</c> leftover
    /// units go one each to the first parts, so callers control who gets them by the order they choose.
    /// </summary>
    public static void Split(long total, Span<long> destination)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("There must be at least one part to split into.", nameof(destination));
        }

        var n = destination.Length;
        var quotient = Math.DivRem(total, n, out var remainder);
        // For a negative total the remainder is negative; the leftover units then go (as -1 each) to the first parts.
        var step = Math.Sign(remainder);
        var extra = Math.Abs(remainder);
        for (var i = 0; i < n; i++)
        {
            destination[i] = i < extra ? quotient + step : quotient;
        }
    }

    /// <summary>
    /// Splits <paramref name="total"/> in proportion to non-negative <paramref name="weights"/> by the largest-remainder
    /// (Hamilton) method. Each part is the floor or ceiling of its exact quota; leftover units go to the largest
    /// remainders, ties to the earlier index. Every part is zero when all weights are zero only if the total is zero.
    /// </summary>
    public static void SplitByWeights(long total, ReadOnlySpan<long> weights, Span<long> destination)
    {
        if (weights.Length != destination.Length)
        {
            throw new ArgumentException("There must be exactly one destination per weight.", nameof(destination));
        }

        Int128 weightSum = 0;
        foreach (var weight in weights)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(weight, nameof(weights));
            weightSum += weight;
        }

        if (weightSum == 0)
        {
            throw new ArgumentException("At least one weight must be positive.", nameof(weights));
        }

        var sign = total < 0 ? -1 : 1;
        Int128 magnitude = total < 0 ? -(Int128)total : total;
        var remainders = new Int128[weights.Length];
        Int128 assigned = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var exact = magnitude * weights[i];
            var share = exact / weightSum;
            remainders[i] = exact % weightSum;
            destination[i] = (long)share;
            assigned += share;
        }

        var leftover = (int)(magnitude - assigned); // fewer leftover units than parts, by construction
        if (leftover > 0)
        {
            var order = new int[weights.Length];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (a, b) =>
            {
                var byRemainder = remainders[b].CompareTo(remainders[a]);
                return byRemainder != 0 ? byRemainder : a.CompareTo(b);
            });
            for (var k = 0; k < leftover; k++)
            {
                destination[order[k]]++;
            }
        }

        if (sign < 0)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = -destination[i];
            }
        }
    }
}
