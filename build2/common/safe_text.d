build2/common/safe_text.o: common/safe_text.c common/safe_text.h \
 common/utf8.h
common/safe_text.h:
common/utf8.h:
