// Package procalive answers one question for every part of hooktap that records a process id
// (the runtime file, outbox claims): does that process on this host still run?
package procalive
