# sourced by the slug runner before each process starts
export GREETING="set by .profile.d"
