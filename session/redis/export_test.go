package redis

// For the external tests: the slot computation.
var SlotOf = slotOf

func SlotTag(slot int) string { return slotTags()[slot] }
