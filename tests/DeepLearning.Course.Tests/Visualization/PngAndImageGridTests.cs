using System.Buffers.Binary;
using System.IO.Compression;
using DeepLearning.Course.Visualization;
using static TorchSharp.torch;

namespace DeepLearning.Course.Tests.Visualization;

public class PngAndImageGridTests
{
    [Fact]
    public void Encoded_png_has_a_valid_header_size_crc_and_decodable_pixels()
    {
        // Given a 3x2 grayscale gradient
        byte[] pixels = [0, 50, 100, 150, 200, 250];
        // When it is encoded
        var png = PngEncoder.Encode(pixels, width: 3, height: 2, channels: 1);
        // Then the signature and IHDR are right ...
        Assert.Equal(new byte[] { 137, 80, 78, 71, 13, 10, 26, 10 }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(3, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        // ... every chunk's CRC checks, and IDAT inflates back to the filtered scanlines
        var offset = 8;
        byte[]? idat = null;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var typeAndData = png.AsSpan(offset + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(crc, PngEncoder.Crc(0xFFFFFFFFu, typeAndData) ^ 0xFFFFFFFFu);
            if (System.Text.Encoding.ASCII.GetString(typeAndData[..4]) == "IDAT") idat = typeAndData[4..].ToArray();
            offset += 12 + length;
        }
        using var inflate = new ZLibStream(new MemoryStream(idat!), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflate.CopyTo(raw);
        Assert.Equal(new byte[] { 0, 0, 50, 100, 0, 150, 200, 250 }, raw.ToArray());
    }

    [Fact]
    public void Image_grid_turns_a_batch_into_inline_pngs_with_captions()
    {
        // Given four 1-channel 28x28 images in [0, 1]
        using var images = rand(4, 1, 28, 28);
        // When a grid is built with captions
        var grid = ImageGrid.From(images, ["shirt", "boot", "bag", "coat"], columns: 2);
        // Then each image is a 28x28 PNG and the HTML embeds them with captions
        Assert.Equal(4, grid.Images.Count);
        Assert.All(grid.Images, png => Assert.Equal(28, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16))));
        var html = grid.ToHtml();
        Assert.Equal(4, html.Split("<img").Length - 1);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo", html);
        Assert.Contains("<figcaption style=\"font:11px monospace\">boot</figcaption>", html);
    }

    [Fact]
    public void Image_grid_accepts_rgb_and_unbatched_shapes()
    {
        using var rgb = randn(2, 3, 8, 6);
        var grid = ImageGrid.From(rgb);
        Assert.Equal(6, grid.Width);
        Assert.Equal(2, grid.Images[0][25]); // IHDR colour type 2 = truecolour
        using var single = rand(5, 7);
        Assert.Single(ImageGrid.From(single).Images);
    }
}
