build2/common/path_search.o: common/path_search.c common/path_search.h
common/path_search.h:
