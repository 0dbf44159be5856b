"""How duzhan writes and draws what it shows, for every outlet (pages, map, exports, CLI):
number and date formats, status palette and words, fonts. No Streamlit here: the charts,
exports and geo layers sit on top of it, views/ (Streamlit) on top of them."""
