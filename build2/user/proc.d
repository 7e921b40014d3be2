build2/user/proc.o: user/proc.c user/proc.h common/utf8.h
user/proc.h:
common/utf8.h:
