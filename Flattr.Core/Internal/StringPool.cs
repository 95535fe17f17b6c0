namespace Flattr.Internal;

/// <summary>Gives each distinct id a dense integer, looking spans up without allocating a string per row.</summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, int> _indexes;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _names;

    public StringPool(int capacity = 0)
    {
        _indexes = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _lookup = _indexes.GetAlternateLookup<ReadOnlySpan<char>>();
        _names = new List<string>(capacity);
    }

    public int Count => _names.Count;

    public string this[int index] => _names[index];

    public int Intern(ReadOnlySpan<char> name, out bool added)
    {
        if (_lookup.TryGetValue(name, out var index))
        {
            added = false;
            return index;
        }

        index = _names.Count;
        var text = name.ToString();
        _indexes.Add(text, index);
        _names.Add(text);
        added = true;
        return index;
    }

    public bool TryGet(ReadOnlySpan<char> name, out int index) => _lookup.TryGetValue(name, out index);

    /// <summary>For each index, its position when all names are sorted in ordinal order.</summary>
    public int[] OrdinalRanks()
    {
        var order = OrdinalOrder();
        var ranks = new int[order.Length];
        for (var position = 0; position < order.Length; position++)
        {
            ranks[order[position]] = position;
        }

        return ranks;
    }

    /// <summary>The indexes sorted by name in ordinal order.</summary>
    public int[] OrdinalOrder()
    {
        var names = _names.ToArray();
        var order = new int[names.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(names, order, StringComparer.Ordinal);
        return order;
    }
}
