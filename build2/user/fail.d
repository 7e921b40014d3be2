build2/user/fail.o: user/fail.c user/fail.h common/safe_text.h
user/fail.h:
common/safe_text.h:
