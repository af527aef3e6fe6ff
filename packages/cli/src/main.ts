console.log("jobscope");
