build/user/main.o: user/main.c
