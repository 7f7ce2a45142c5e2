"""The kit's colours: the Okabe-Ito palette, distinguishable with the common colour-vision
deficiencies (Okabe and Ito 2008, "Color Universal Design", https://jfly.uni-koeln.de/color/).
Colour is never the only cue: every figure also varies marker shape, dash or label."""

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#BBBBBB"

OKABE_ITO = (BLACK, ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE)
"""The eight colours in Okabe and Ito's order."""
