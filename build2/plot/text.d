build2/plot/text.o: plot/text.c common/safe_text.h plot/text.h \
 common/utf8.h
common/safe_text.h:
plot/text.h:
common/utf8.h:
