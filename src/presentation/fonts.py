"""The CJK font lists, one for web outlets (plotly, Leaflet: CSS) and one for matplotlib."""

# Chinese first: the server-side PNG export has Noto Sans CJK; viewers' machines may have the others.
CSS_FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif'
CSS_FONT_FAMILY_SINGLE = CSS_FONT_FAMILY.replace('"', "'")  # inside a double-quoted HTML attribute

# WenQuanYi Micro Hei first: a TrueType (glyf) font, embedded in the PDF as CID Type 2,
# which every viewer shows. Noto Sans CJK is CFF-based OpenType: matplotlib embeds it as
# "TrueType" anyway (matplotlib #20870), poppler warns "Mismatch between font type and
# embedded font file" and Acrobat/WPS may show no text. Noto stays as the fallback.
TRUETYPE_CJK = "WenQuanYi Micro Hei"
TRUETYPE_CJK_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)  # fonts-wqy-microhei
MPL_CJK_FONTS = [TRUETYPE_CJK, "Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC",
                 "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "SimHei", "DejaVu Sans"]
