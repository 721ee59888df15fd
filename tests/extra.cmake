if(TARGET test_decay)
  target_link_libraries(test_decay PRIVATE m)
endif()
