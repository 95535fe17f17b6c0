using OrchardCore.ContentManagement;

namespace Flattr.OrchardCore.Models;

/// <summary>
/// The Flattr part. It has no properties of its own: its data are two content fields, <c>Enabled</c> (BooleanField)
/// and <c>CreatorId</c> (TextField), defined by <c>Migrations/flattr-part.recipe.json</c> and stored as
/// <c>FlattrPart.Enabled.Value</c> and <c>FlattrPart.CreatorId.Text</c>, the shape the recipe-only edition stores too.
/// Flattr.Core's <c>OrchardContentMapper</c> reads them from the item's JSON. The class exists so the part has a
/// display driver and a content handler.
/// </summary>
public sealed class FlattrPart : ContentPart;
