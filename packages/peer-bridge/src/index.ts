// The peer-bridge arrives with the federation issue; see README "Architecture".
export {};
