build2/user/link_reaper.o: user/link_reaper.c common/clock.h \
 user/link_reaper.h
common/clock.h:
user/link_reaper.h:
