using Flattr.Internal;

namespace Flattr.Core.Tests.Internal;

/// <summary>The engine's (reader, thing) table: sized up front, it keeps every key and the smallest value.</summary>
public sealed class PairTableTests
{
    [Fact]
    public void EnsureCapacity_ThenAddingThatManyKeys_NeverGrowsAndKeepsEveryKey()
    {
        var table = new PairTable();
        table.EnsureCapacity(200_000);
        var sized = table.Capacity;

        for (long key = 1; key <= 200_000; key++)
        {
            Assert.True(table.AddOrKeepMinimum(key << 32 | (key % 7), key));
        }

        Assert.Equal(sized, table.Capacity);
        Assert.True(sized >= 200_000 / 3 * 4, $"Capacity {sized} is over three quarters full with 200,000 keys.");
        Assert.Equal(200_000, table.Count);
        Assert.False(table.AddOrKeepMinimum(5L << 32 | 5, 0));
        var keys = new KeySum();
        table.ForEach(ref keys);
        Assert.Equal(200_000L * 200_001 / 2 - 5, keys.Values); // key 5 now holds 0, every other key its own number
    }

    [Fact]
    public void EnsureCapacity_AfterKeysWereAdded_KeepsThemAndTheirValues()
    {
        var table = new PairTable();
        table.AddOrKeepMinimum(1L << 32 | 1, 10);
        table.AddOrKeepMinimum(2L << 32 | 2, 20);

        table.EnsureCapacity(1_000_000);

        Assert.True(table.Capacity > 1_000_000);
        Assert.False(table.AddOrKeepMinimum(1L << 32 | 1, 15));
        Assert.False(table.AddOrKeepMinimum(2L << 32 | 2, 5));
        var keys = new KeySum();
        table.ForEach(ref keys);
        Assert.Equal(10 + 5, keys.Values);
    }

    private struct KeySum : IPairVisitor
    {
        public long Values;

        public void Visit(long key, long value) => Values += value;
    }
}
