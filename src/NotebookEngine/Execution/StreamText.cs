using System.Globalization;
using System.Text;

namespace NotebookEngine.Execution;

/// <summary>
/// The text of one stream output (stdout or stderr of a cell), appended in linear time and capped as Jupyter frontends
/// cap long outputs: the first <see cref="HeadLines"/> lines and the last <see cref="TailLines"/> lines are kept (at most
/// <see cref="HeadChars"/> / <see cref="TailChars"/> characters each), and the lines between are replaced by one line
/// <c>... output truncated: N lines not shown ...</c>. Below the cap nothing is dropped.
/// </summary>
internal sealed class StreamText
{
    /// <summary>Lines kept from the start of a stream.</summary>
    public const int HeadLines = 10_000;

    /// <summary>Lines kept from the end of a stream.</summary>
    public const int TailLines = 10_000;

    /// <summary>Characters kept from the start of a stream (a very long line is cut there).</summary>
    public const int HeadChars = 2 << 20;

    /// <summary>Characters kept from the end of a stream.</summary>
    public const int TailChars = 2 << 20;

    private readonly StringBuilder _head = new();
    private readonly Queue<string> _tail = new();
    private readonly StringBuilder _partial = new();
    private int _headLines;
    private bool _headFull;
    private long _tailChars;
    private long _droppedLines;
    private long _droppedChars;

    /// <summary>Appends <paramref name="text"/>.</summary>
    public void Append(string text)
    {
        var pos = 0;
        while (!_headFull && pos < text.Length)
        {
            var nl = text.IndexOf('\n', pos);
            var end = nl < 0 ? text.Length : nl + 1;
            var room = HeadChars - _head.Length;
            if (end - pos > room)
            {
                _head.Append(text, pos, room);
                pos += room;
                _headFull = true;
                break;
            }
            _head.Append(text, pos, end - pos);
            pos = end;
            if (nl >= 0 && ++_headLines >= HeadLines)
                _headFull = true;
        }
        while (pos < text.Length)
        {
            var nl = text.IndexOf('\n', pos);
            var end = nl < 0 ? text.Length : nl + 1;
            _partial.Append(text, pos, end - pos);
            pos = end;
            if (_partial.Length > 2 * TailChars)
            {
                // One very long line: keep its last TailChars characters (amortized linear).
                var excess = _partial.Length - TailChars;
                _partial.Remove(0, excess);
                _droppedChars += excess;
            }
            if (nl < 0)
                continue;
            var line = _partial.ToString();
            _partial.Clear();
            _tail.Enqueue(line);
            _tailChars += line.Length;
            while (_tail.Count > TailLines || _tailChars + _partial.Length > TailChars && _tail.Count > 0)
            {
                _tailChars -= _tail.Dequeue().Length;
                _droppedLines++;
            }
        }
    }

    /// <summary>The note that replaces dropped text, or "" when nothing was dropped.</summary>
    public string Note
    {
        get
        {
            if (_droppedLines == 0 && _droppedChars == 0)
                return "";
            var parts = new List<string>();
            if (_droppedLines > 0)
                parts.Add(_droppedLines.ToString("N0", CultureInfo.InvariantCulture) + (_droppedLines == 1 ? " line" : " lines"));
            if (_droppedChars > 0)
                parts.Add(_droppedChars.ToString("N0", CultureInfo.InvariantCulture) + " characters");
            return $"... output truncated: {string.Join(" and ", parts)} not shown ...\n";
        }
    }

    /// <summary>The kept text, with the truncation note where text was dropped.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(_head.Length + (int)Math.Min(int.MaxValue / 2, _tailChars) + _partial.Length + 80);
        text.Append(_head);
        var note = Note;
        if (note.Length > 0)
        {
            if (_head.Length > 0 && _head[^1] != '\n')
                text.Append('\n');
            text.Append(note);
        }
        foreach (var line in _tail)
            text.Append(line);
        var partial = _partial.Length > TailChars ? _partial.ToString(_partial.Length - TailChars, TailChars) : _partial.ToString();
        text.Append(partial);
        return text.ToString();
    }
}
