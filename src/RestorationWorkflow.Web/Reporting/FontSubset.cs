using System.Runtime.InteropServices;
using SkiaSharp;

namespace RestorationWorkflow.Web.Reporting;

/// <summary>
/// Cuts the report font down to the glyphs and characters one document uses, with HarfBuzz's subsetter (in the
/// HarfBuzzSharp native library SkiaSharp.HarfBuzz already loads). Skia's PDF backend, as SkiaSharp builds it, has no
/// subsetter and embeds a font file whole: 2.3 MB of CJK font in every report. Glyph ids are kept (retain-gids), so
/// text shaped with the whole font draws unchanged with the subset; the characters are kept in its cmap, so the PDF's
/// ToUnicode map still lets readers extract the text.
/// </summary>
internal static class FontSubset
{
    private const uint NoHinting = 0x1;
    private const uint RetainGlyphIds = 0x2;

    /// <summary>The subset as a typeface, or <c>null</c> when HarfBuzz could not make one (the caller then embeds the whole font).</summary>
    public static SKTypeface? Create(string fontPath, IEnumerable<ushort> glyphs, IEnumerable<int> codepoints)
    {
        using var blob = HarfBuzzSharp.Blob.FromFile(fontPath);
        using var face = new HarfBuzzSharp.Face(blob, 0);
        var input = Native.hb_subset_input_create_or_fail();
        if (input == IntPtr.Zero)
            return null;
        try
        {
            var glyphSet = Native.hb_subset_input_glyph_set(input);
            foreach (var glyph in glyphs)
                Native.hb_set_add(glyphSet, glyph);
            var unicodeSet = Native.hb_subset_input_unicode_set(input);
            foreach (var codepoint in codepoints)
                Native.hb_set_add(unicodeSet, (uint)codepoint);
            Native.hb_subset_input_set_flags(input, NoHinting | RetainGlyphIds);
            var subset = Native.hb_subset_or_fail(face.Handle, input);
            if (subset == IntPtr.Zero)
                return null;
            try
            {
                var data = Native.hb_face_reference_blob(subset);
                try
                {
                    var bytes = Native.hb_blob_get_data(data, out var length);
                    if (bytes == IntPtr.Zero || length == 0)
                        return null;
                    using var skData = SKData.CreateCopy(bytes, length);
                    return SKTypeface.FromData(skData);
                }
                finally
                {
                    Native.hb_blob_destroy(data);
                }
            }
            finally
            {
                Native.hb_face_destroy(subset);
            }
        }
        finally
        {
            Native.hb_subset_input_destroy(input);
        }
    }

    private static class Native
    {
        private const string Library = "libHarfBuzzSharp";

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr hb_subset_input_create_or_fail();

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern void hb_subset_input_destroy(IntPtr input);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr hb_subset_input_glyph_set(IntPtr input);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr hb_subset_input_unicode_set(IntPtr input);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern void hb_subset_input_set_flags(IntPtr input, uint flags);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern void hb_set_add(IntPtr set, uint codepoint);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr hb_face_reference_blob(IntPtr face);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern void hb_face_destroy(IntPtr face);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr hb_blob_get_data(IntPtr blob, out uint length);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern void hb_blob_destroy(IntPtr blob);
    }
}
