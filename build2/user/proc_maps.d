build2/user/proc_maps.o: user/proc_maps.c user/proc.h user/proc_maps.h
user/proc.h:
user/proc_maps.h:
